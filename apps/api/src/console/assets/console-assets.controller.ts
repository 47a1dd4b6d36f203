import { Controller, Get, Header, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CONSOLE_CSS, CONSOLE_STYLESHEET_VERSION } from './console-css';

/** The console's stylesheet: same origin, so the console's strict CSP (no inline style) allows it. */
@ApiExcludeController()
@Controller('console/assets')
export class ConsoleAssetsController {
  @Get('console.css')
  @Header('Content-Type', 'text/css; charset=utf-8')
  stylesheet(@Query('v') version: string | undefined, @Res({ passthrough: true }) res: Response): string {
    // The versioned URL the pages link never changes content; any other is kept briefly.
    res.setHeader('Cache-Control', version === CONSOLE_STYLESHEET_VERSION ? 'public, max-age=31536000, immutable' : 'public, max-age=300');
    return CONSOLE_CSS;
  }
}
