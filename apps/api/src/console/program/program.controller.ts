import { BadRequestException, Body, Get, HttpStatus, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { PlanService } from '@libs/app/src/planning/plan.service';
import { UpdateProgramDto } from '@libs/app/src/program/program.dto';
import { ProgramService } from '@libs/app/src/program/program.service';
import { ruleOverrideErrors } from '@libs/nps/src/settings-limits';
import { oneOf } from '../../alerts/alerts.controller';
import { BodyValidationPipe } from '../../http/input-pipes';
import { daysParam } from '../../plan/plan.controller';
import { ConsoleController, ConsoleRequest, pageContext } from '../console-access';
import { formText } from '../console-input';
import { redirectWithNotice } from '../console-redirect';
import { FILTER_LABELS, PLAN_SHOWS, PLAN_TRIGGERS, PlanFilters, planPreviewPage } from './plan-preview.page';
import { PROGRAM_SETTINGS_URL, PROGRAM_URL } from './program-nav';
import { programPage } from './program.page';
import { programSettingsPage } from './program-settings.page';
import { currentTexts, settingErrors, settingsChange, submittedTexts } from './program-settings';
import { summaryLabel } from './setting-catalogue';

const MAX_FILTER_TEXT = 200;

/** What a refused change said: its messages, and what a live program would be missing. */
function refusal(error: BadRequestException): { messages: string[]; missing: string[] } {
  const body = error.getResponse() as { message?: unknown; missing?: unknown };
  const messages = Array.isArray(body.message) ? body.message.map(String) : [String(body.message ?? error.message)];
  return { messages, missing: Array.isArray(body.missing) ? body.missing.map(String) : [] };
}

/** Each `name: problem` message of a refused filter, by the parameter it names. */
function filterErrors(error: BadRequestException): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const message of refusal(error).messages) {
    const named = /^(\w+): (.*)$/s.exec(message);
    if (named && named[1] in FILTER_LABELS) errors[named[1]] = named[2];
    else errors.form = message;
  }
  return errors;
}

/**
 * The program (admin only): its state and live switch, every setting, and the plan preview: thin
 * pages over ProgramService and PlanService, the services behind GET/PUT /api/program and GET
 * /api/plan/preview. A change goes through the same DTO validation and the same service as PUT.
 */
@ConsoleController('program')
export class ProgramPagesController {
  constructor(
    private readonly program: ProgramService,
    private readonly plan: PlanService,
  ) {}

  @Get()
  async overview(@Req() req: ConsoleRequest): Promise<string> {
    return programPage(pageContext(req), await this.program.view());
  }

  @Post('live')
  async setLive(@Req() req: ConsoleRequest, @Res() res: Response, @Body() body: Record<string, unknown>): Promise<void> {
    const live = formText(body.live);
    if (live !== 'true' && live !== 'false') throw new BadRequestException(['live: must be true or false']);
    try {
      await this.program.update({ live: live === 'true' });
    } catch (error) {
      if (!(error instanceof BadRequestException)) throw error;
      const { missing } = refusal(error);
      return void res
        .status(HttpStatus.BAD_REQUEST)
        .type('html')
        .send(programPage(pageContext(req), await this.program.view(), missing));
    }
    const notice = live === 'true' ? 'The program is live: surveys go out inside the send window.' : 'Sending is paused: scheduled surveys wait until the program is live again.';
    await redirectWithNotice(req, res, PROGRAM_URL, notice);
  }

  @Get('settings')
  async settings(@Req() req: ConsoleRequest): Promise<string> {
    const program = await this.program.view();
    return programSettingsPage(pageContext(req), currentTexts(program), program.missing);
  }

  @Post('settings')
  async saveSettings(@Req() req: ConsoleRequest, @Res() res: Response, @Body() body: Record<string, unknown>): Promise<void> {
    const program = await this.program.view();
    const texts = submittedTexts(body, currentTexts(program));
    const { change, changed } = settingsChange(program, texts);
    if (!changed.length) return redirectWithNotice(req, res, PROGRAM_SETTINGS_URL, 'Nothing was changed.');
    try {
      // The admin API's body validation (profile items, alert emails), then the service's own checks (every rule).
      let validated: UpdateProgramDto;
      try {
        validated = (await new BodyValidationPipe().transform(change, { type: 'body', metatype: UpdateProgramDto })) as UpdateProgramDto;
      } catch (error) {
        // The API would stop here; the form also names the rules the service will refuse, so one save shows every problem.
        if (!(error instanceof BadRequestException) || change.rules === undefined) throw error;
        throw new BadRequestException([...refusal(error).messages, ...ruleOverrideErrors(change.rules)]);
      }
      await this.program.update(validated);
    } catch (error) {
      if (!(error instanceof BadRequestException)) throw error;
      const { messages, missing } = refusal(error);
      return void res
        .status(HttpStatus.BAD_REQUEST)
        .type('html')
        .send(programSettingsPage(pageContext(req), texts, program.missing, settingErrors(messages, missing)));
    }
    await redirectWithNotice(req, res, PROGRAM_SETTINGS_URL, `Saved: ${changed.map((setting) => summaryLabel(setting.name)).join(', ')}.`);
  }

  @Get('plan')
  async planPreview(
    @Req() req: ConsoleRequest,
    @Res() res: Response,
    @Query('days') days?: unknown,
    @Query('trigger') trigger?: unknown,
    @Query('show') show?: unknown,
    @Query('q') q?: unknown,
  ): Promise<void> {
    const filters: PlanFilters = { days: formText(days) || '30', trigger: formText(trigger), show: 'all', q: formText(q) };
    let asked: number;
    try {
      asked = daysParam(days as string | undefined);
      filters.trigger = oneOf('trigger', PLAN_TRIGGERS, trigger) ?? '';
      filters.show = oneOf('show', PLAN_SHOWS, show) ?? 'all';
      if (filters.q.length > MAX_FILTER_TEXT) throw new BadRequestException([`q: must be at most ${MAX_FILTER_TEXT} characters`]);
    } catch (error) {
      if (!(error instanceof BadRequestException)) throw error;
      return void res
        .status(HttpStatus.BAD_REQUEST)
        .type('html')
        .send(planPreviewPage(pageContext(req), filters, null, filterErrors(error)));
    }
    res.type('html').send(planPreviewPage(pageContext(req), filters, await this.plan.preview(asked)));
  }
}
