import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ErrorDto } from '../docs/api-errors';
import { ProgramDto, UpdateProgramDto } from '@libs/app/src/program/program.dto';
import { ProgramService } from '@libs/app/src/program/program.service';

@ApiTags('program')
@ApiBearerAuth()
@ApiErrors(401, 429)
@Controller('api/program')
export class ProgramController {
  constructor(private readonly program: ProgramService) {}

  @Get()
  @ApiOperation({ summary: 'The program: live or draft, what is missing to go live, its profile and every rule' })
  @ApiOkResponse({ type: ProgramDto })
  get(): Promise<ProgramDto> {
    return this.program.view();
  }

  @Put()
  @ApiOperation({ summary: 'Changes the profile, the rules (send window, cap …) and turns the program live or pauses it' })
  @ApiOkResponse({ type: ProgramDto })
  @ApiBadRequestResponse({ description: 'a rule or item is invalid (named), or going live with items missing (listed in `missing`)', type: ErrorDto })
  update(@Body() body: UpdateProgramDto): Promise<ProgramDto> {
    return this.program.update(body);
  }
}
