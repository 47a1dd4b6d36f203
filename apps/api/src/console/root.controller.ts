import { Controller, Get, Redirect } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';

/** `/` is where a browser lands first: it leads to the console (which asks to sign in when needed). */
@ApiExcludeController()
@Controller()
export class RootController {
  @Get()
  @Redirect('/console', 302)
  root(): void {}
}
