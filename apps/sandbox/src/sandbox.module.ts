import { Controller, DynamicModule, Get, Header, Inject, Module, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { escapeHtml, page } from '../../api/src/surveys/pages/html';
import { MailCatcher, renderMail, renderMailList } from './mail-catcher';

/** A vendor imitation served by this process: where it is and what it imitates. */
export interface MountedSandbox {
  name: string;
  basePath: string;
  imitates: string;
}

export interface SandboxState {
  mounted: MountedSandbox[];
  mail: MailCatcher | undefined;
}

export const SANDBOX_STATE = Symbol('SANDBOX_STATE');

@ApiExcludeController()
@Controller('sandbox')
class SandboxPagesController {
  constructor(@Inject(SANDBOX_STATE) private readonly state: SandboxState) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  index(): string {
    const rows = this.state.mounted
      .map((s) => `<li><a href="${escapeHtml(s.basePath)}">${escapeHtml(s.name)}</a>: ${escapeHtml(s.imitates)}</li>`)
      .join('');
    const mail = this.state.mail ? '<li><a href="/sandbox/mail">Mail catcher</a>: every survey email this service sent</li>' : '';
    return page({
      title: 'nps-bridge sandboxes',
      body: `<h1>Sandboxes</h1><p>Imitations of the vendors, so the whole loop can be seen without any account.</p><ul>${rows}${mail}</ul>`,
    });
  }

  private catcher(): MailCatcher {
    if (!this.state.mail) throw new NotFoundException('no mail catcher runs in this process (SMTP_URL is set)');
    return this.state.mail;
  }

  @Get('mail')
  @Header('Content-Type', 'text/html; charset=utf-8')
  mailList(): string {
    return renderMailList(this.catcher().messages(), '/sandbox/mail');
  }

  @Get('mail/:id')
  mail(@Param('id') id: string, @Res() res: Response): void {
    const message = this.catcher().message(id);
    if (!message) throw new NotFoundException(`no caught mail ${id}`);
    res.type('html').send(renderMail(message, '/sandbox/mail'));
  }
}

/** Serves the sandboxes' pages: the index and the mail catcher. Vendor APIs are mounted by launch. */
@Module({})
export class SandboxModule {
  static forRoot(state: SandboxState): DynamicModule {
    return {
      module: SandboxModule,
      controllers: [SandboxPagesController],
      providers: [{ provide: SANDBOX_STATE, useValue: state }],
      exports: [SANDBOX_STATE],
    };
  }
}
