import { Body, Controller, Get, Header, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { isValidScore } from '../../../../libs/nps/src';
import { surveyQuestion } from '../../../worker/src/delivery/survey-email';
import { ProgramService } from '../program/program.service';
import {
  renderCommentPage,
  renderExpiredPage,
  renderNotFoundPage,
  renderScorePage,
  renderThankYouPage,
  renderUnsubscribeConfirmPage,
  renderUnsubscribedPage,
} from './pages/survey-pages';
import { OpenSurvey, SurveyResponseService } from './survey-response.service';

const SCORE_ERROR = 'Please choose a score: a whole number from 0 to 10.';

/** The respondent's pages, reached from the email's links. Server-rendered; no JavaScript needed. */
@ApiExcludeController()
@Controller('s/:token')
export class SurveyPagesController {
  constructor(
    private readonly responses: SurveyResponseService,
    private readonly program: ProgramService,
  ) {}

  /** Finds the open survey or answers 404/410 itself. */
  private async open(token: string, res: Response): Promise<OpenSurvey | undefined> {
    const found = await this.responses.find(token);
    if (found.state === 'open') return found.survey;
    const { profile } = await this.program.get();
    res.status(found.state === 'expired' ? 410 : 404).type('html');
    res.send(found.state === 'expired' ? renderExpiredPage({ company: profile.companyName }) : renderNotFoundPage());
    return undefined;
  }

  private async scorePage(token: string, survey: OpenSurvey, error?: string): Promise<string> {
    const { profile } = await this.program.get();
    const ticket = survey.trigger === 'ticket_solved' ? { id: String(survey.context.ticketId), subject: (survey.context.ticketSubject as string) ?? null } : undefined;
    return renderScorePage({
      product: profile.productName,
      company: profile.companyName,
      question: surveyQuestion({ product: profile.productName, trigger: survey.trigger, ticket }),
      actionUrl: `/s/${token}/score`,
      tokenPath: `/s/${token}`,
      currentScore: survey.response?.score ?? null,
      error,
    });
  }

  private async afterScore(token: string, survey: OpenSurvey, raw: unknown, res: Response): Promise<void> {
    const score = typeof raw === 'string' && /^\d{1,2}$/.test(raw) ? Number(raw) : NaN;
    const { profile } = await this.program.get();
    if (!isValidScore(score)) {
      res.status(400).type('html').send(await this.scorePage(token, survey, SCORE_ERROR));
      return;
    }
    const response = (await this.responses.recordScore(survey, score))!;
    if (response.settled) {
      res.type('html').send(renderThankYouPage({ company: profile.companyName }));
      return;
    }
    res.type('html').send(
      renderCommentPage({
        product: profile.productName,
        company: profile.companyName,
        category: response.category,
        score: response.score,
        commentActionUrl: `/s/${token}/comment`,
        changeScoreUrl: `/s/${token}`,
        comment: response.comment,
        referenceOptIn: response.referenceOptIn,
      }),
    );
  }

  @Get()
  async show(@Param('token') token: string, @Res() res: Response): Promise<void> {
    const survey = await this.open(token, res);
    if (!survey) return;
    const { profile } = await this.program.get();
    res.type('html').send(survey.response?.settled ? renderThankYouPage({ company: profile.companyName }) : await this.scorePage(token, survey));
  }

  @Get('unsubscribe')
  @Header('Cache-Control', 'no-store')
  async confirmUnsubscribe(@Param('token') token: string, @Res() res: Response): Promise<void> {
    const survey = await this.open(token, res);
    if (!survey) return;
    const { profile } = await this.program.get();
    res.type('html').send(renderUnsubscribeConfirmPage({ company: profile.companyName, actionUrl: `/s/${token}/unsubscribe` }));
  }

  /** Also the target of one-click List-Unsubscribe-Post from mail clients. */
  @Post('unsubscribe')
  @HttpCode(200)
  async unsubscribe(@Param('token') token: string, @Res() res: Response): Promise<void> {
    const survey = await this.open(token, res);
    if (!survey) return;
    await this.responses.unsubscribe(survey);
    const { profile } = await this.program.get();
    res.type('html').send(renderUnsubscribedPage({ company: profile.companyName, email: survey.email }));
  }

  @Get(':score')
  async click(@Param('token') token: string, @Param('score') score: string, @Res() res: Response): Promise<void> {
    const survey = await this.open(token, res);
    if (survey) await this.afterScore(token, survey, score, res);
  }

  @Post('score')
  @HttpCode(200)
  async submitScore(@Param('token') token: string, @Body() body: { score?: unknown }, @Res() res: Response): Promise<void> {
    const survey = await this.open(token, res);
    if (survey) await this.afterScore(token, survey, body?.score, res);
  }

  @Post('comment')
  @HttpCode(200)
  async comment(@Param('token') token: string, @Body() body: { comment?: unknown; referenceOptIn?: unknown }, @Res() res: Response): Promise<void> {
    const survey = await this.open(token, res);
    if (!survey) return;
    if (!survey.response) {
      res.status(400).type('html').send(await this.scorePage(token, survey, SCORE_ERROR));
      return;
    }
    const comment = typeof body?.comment === 'string' ? body.comment.slice(0, 5000) : '';
    await this.responses.recordComment(survey, comment, body?.referenceOptIn === 'yes');
    const { profile } = await this.program.get();
    res.type('html').send(renderThankYouPage({ company: profile.companyName }));
  }
}
