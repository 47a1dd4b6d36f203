import { Controller, DynamicModule, Get, Header, Inject, Module, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { escapeHtml, page } from './kit/page';
import { MailCatcher, renderMail, renderMailList } from './mail-catcher';
import { renderListLinks } from './record-pages';
import { SandboxRecordsController } from './records.controller';
import { SANDBOX_STATE, SandboxState } from './sandbox-state';

export type { SandboxState } from './sandbox-state';

const SURVEY_NOW_FORM = `
<h2>See the loop now</h2>
<p>A demo shortcut, not part of the product: solve a sandbox ticket whose requester is a CRM contact, and send its survey now instead of 24 hours later. The program's rules still apply (live, send window, suppression).</p>
<form method="post" action="/sandbox/demo/survey-now"><button type="submit">Solve a ticket and send its survey now</button></form>
<p class="muted">Then open the email, click a score, answer, and look at the CRM tasks and the ticket below.</p>`;

@ApiExcludeController()
@Controller('sandbox')
class SandboxPagesController {
  constructor(@Inject(SANDBOX_STATE) private readonly state: SandboxState) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  index(): string {
    const apis = this.state.mounted.map((s) => `<li><code>${escapeHtml(s.basePath)}</code> (${escapeHtml(s.name)}): ${escapeHtml(s.imitates)}</li>`).join('');
    const mail = this.state.mail ? '<li><a href="/sandbox/mail">Mail catcher</a>: every survey email this service sent</li>' : '';
    const built = (this.state.sandboxes?.all() ?? []).map((s) => ({ kind: s.kit.kind, name: s.kit.connection(s.baseUrl).name, lists: s.sandbox.records?.() ?? [] }));
    const records = renderListLinks(built);
    const apps = (this.state.sandboxes?.all() ?? []).flatMap((s) => {
      const app = s.kit.oauthApp?.(s.baseUrl);
      if (!app) return [];
      const account = Object.entries(app.account).map(([name, value]) => `<code>${escapeHtml(name)}</code> <code>${escapeHtml(value)}</code>`);
      return [
        `<li>${escapeHtml(s.kit.kind)}: client id <code>${escapeHtml(app.clientId)}</code>, secret <code>${escapeHtml(app.clientSecret)}</code>, account ${account.join(', ')}</li>`,
      ];
    });
    const oauth = apps.length
      ? `<h2>OAuth apps the sandboxes trust</h2>
<p class="muted">To connect a sandbox through its consent page ("bring your own OAuth app"), give nps-bridge these.</p>
<ul>${apps.join('')}</ul>`
      : '';
    return page({
      title: 'nps-bridge sandboxes',
      body: `<h1>Sandboxes</h1><p>Imitations of the vendors, so the whole loop can be seen without any account.</p>
${this.state.demoControls ? SURVEY_NOW_FORM : ''}
<h2>What people see in their tools</h2>
<ul>${records}${mail}</ul>
<h2>Vendor APIs</h2>
<p class="muted">Where nps-bridge's connectors reach each imitation.</p>
<ul>${apis}</ul>
${oauth}`,
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

/**
 * Serves the sandboxes' pages: the index, the mail catcher, the records as the vendors' users
 * see them and, in the all-in-one, the form of the demo's survey-now control (its controller is
 * the all-in-one's). Vendor APIs are mounted by launch.
 */
@Module({})
export class SandboxModule {
  static forRoot(state: SandboxState): DynamicModule {
    return {
      module: SandboxModule,
      controllers: [SandboxPagesController, SandboxRecordsController],
      providers: [{ provide: SANDBOX_STATE, useValue: state }],
      exports: [SANDBOX_STATE],
      global: true,
    };
  }
}
