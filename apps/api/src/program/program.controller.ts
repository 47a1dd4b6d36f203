import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { UpdateProgramDto } from './program.dto';
import { Program, ProgramService } from './program.service';

@ApiTags('program')
@ApiBearerAuth()
@Controller('api/program')
export class ProgramController {
  constructor(private readonly program: ProgramService) {}

  @Get()
  get(): Promise<Program> {
    return this.program.get();
  }

  @Put()
  update(@Body() body: UpdateProgramDto): Promise<Program> {
    return this.program.update(body);
  }
}
