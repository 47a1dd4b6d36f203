import { Controller, ForbiddenException, HttpException, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { escapeHtml, page } from '@libs/app/src/html/html';
import { SurveyNow, SurveyNowResult } from './survey-now';

/**
 * POST /sandbox/demo/survey-now: the demo's button and curl command. A browser form gets a page
 * with links to the email and the ticket; anything else gets JSON. Requests from another site
 * are refused, so a page elsewhere cannot make this service send mail.
 */
@ApiExcludeController()
@Controller('sandbox/demo')
export class SurveyNowController {
  constructor(private readonly surveyNow: SurveyNow) {}

  @Post('survey-now')
  async run(@Req() req: Request, @Res() res: Response): Promise<void> {
    const html = req.accepts(['json', 'html']) === 'html';
    try {
      const site = req.headers['sec-fetch-site'];
      if (site !== undefined && site !== 'same-origin' && site !== 'none') throw new ForbiddenException("the demo control only answers this service's own pages");
      const result = await this.surveyNow.run();
      if (html) res.status(200).type('html').send(renderResult(result));
      else res.status(201).json(result);
    } catch (error) {
      if (!html || !(error instanceof HttpException)) throw error;
      res.status(error.getStatus()).type('html').send(renderProblem(error.message));
    }
  }
}

function renderResult(result: SurveyNowResult): string {
  const { ticket, survey, mail } = result;
  const solved = ticket.created ? `Created and solved ticket #${ticket.id}` : `Solved ticket #${ticket.id}`;
  const body = `
<p><a href="/sandbox">All sandboxes</a></p>
<h1>${escapeHtml(solved)}</h1>
<p>${escapeHtml(`"${ticket.subject}", requested by ${ticket.requesterEmail}. Survey ${survey.status}.`)}</p>
<p class="status">${escapeHtml(result.message)}</p>
<ul>
${mail ? `<li><a href="${escapeHtml(mail.page)}">Open the survey email</a></li>` : ''}
<li><a href="${escapeHtml(ticket.page)}">See the ticket as the support lead does</a></li>
<li><a href="/sandbox/mail">All caught mail</a></li>
</ul>`;
  return page({ title: solved, body });
}

function renderProblem(message: string): string {
  const body = `<p><a href="/sandbox">All sandboxes</a></p>\n<h1>No survey sent</h1>\n<p class="error">${escapeHtml(message)}</p>`;
  return page({ title: 'No survey sent', body });
}
