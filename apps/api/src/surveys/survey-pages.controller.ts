import { Body, Controller, Get, Header, HttpCode, Param, Post, Res, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { isValidScore } from '@libs/nps/src';
import { surveyQuestion } from '@libs/app/src/delivery/survey-email';
import { ProgramService } from '@libs/app/src/program/program.service';
import { RequestThrottles } from '../security/request-throttles';
import {
  renderAnswerPage,
  renderCommentPage,
  renderExpiredPage,
  renderNotFoundPage,
  renderScorePage,
  renderThankYouPage,
  renderUnsubscribeConfirmPage,
  renderUnsubscribedPage,
} from './pages/survey-pages';
import { SurveyPagesWhileDatabaseDown } from './database-down.interceptor';
import { SURVEY_SCRIPT_URL } from './survey-assets.controller';
import { OpenSurvey, SurveyLookup, SurveyResponseService } from '@libs/app/src/responses/survey-response.service';

const SCORE_ERROR = 'Please choose a score: a whole number from 0 to 10.';

function parseScore(raw: unknown): number {
  return typeof raw === 'string' && /^\d{1,2}$/.test(raw) ? Number(raw) : NaN;
}

/**
 * The respondent's pages, reached from the email's links. Server-rendered; no JavaScript needed.
 * Opening a score link records nothing (rules §5: mail scanners open every link); the score is recorded
 * by the page's script after 2 s of visibility (POST score with via=visible) or at the first submit.
 */
@ApiExcludeController()
@Controller('s/:token')
@UseInterceptors(SurveyPagesWhileDatabaseDown)
export class SurveyPagesController {
  constructor(
    private readonly responses: SurveyResponseService,
    private readonly program: ProgramService,
    private readonly throttles: RequestThrottles,
  ) {}

  /** Finds the open survey or answers 404/410 itself. */
  private async open(token: string, res: Response): Promise<OpenSurvey | undefined> {
    return this.answer(await this.responses.find(token), res, true);
  }

  /** Unsubscribing works for a survey of any age (rules §4): only an unknown link answers 404. */
  private async anyAge(token: string, res: Response): Promise<OpenSurvey | undefined> {
    return this.answer(await this.responses.find(token), res, false);
  }

  private async answer(found: SurveyLookup, res: Response, expires: boolean): Promise<OpenSurvey | undefined> {
    if (found.state === 'open' || (found.state === 'expired' && !expires)) return found.survey;
    if (found.state === 'unknown' && (await this.throttles.refuseUnknownToken(res))) return undefined;
    const { profile } = await this.program.get();
    res.status(found.state === 'expired' ? 410 : 404).type('html');
    res.send(found.state === 'expired' ? renderExpiredPage({ company: profile.companyName }) : renderNotFoundPage());
    return undefined;
  }

  private async question(survey: OpenSurvey): Promise<{ product: string; company: string; question: string }> {
    const { profile } = await this.program.get();
    const ticket = survey.trigger === 'ticket_solved' ? { id: String(survey.context.ticketId), subject: (survey.context.ticketSubject as string) ?? null } : undefined;
    return {
      product: profile.productName,
      company: profile.companyName,
      question: surveyQuestion({ product: profile.productName, trigger: survey.trigger, ticket }),
    };
  }

  private async scorePage(token: string, survey: OpenSurvey, error?: string): Promise<string> {
    return renderScorePage({
      ...(await this.question(survey)),
      actionUrl: `/s/${token}/score`,
      tokenPath: `/s/${token}`,
      currentScore: survey.response?.score ?? null,
      error,
    });
  }

  private async thankYou(res: Response): Promise<void> {
    const { profile } = await this.program.get();
    res.type('html').send(renderThankYouPage({ company: profile.companyName }));
  }

  /** A score sent from the plain score page: recorded, then the category's question. */
  private async afterScore(token: string, survey: OpenSurvey, score: number, res: Response): Promise<void> {
    const { profile } = await this.program.get();
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
    const survey = await this.anyAge(token, res);
    if (!survey) return;
    const { profile } = await this.program.get();
    res.type('html').send(renderUnsubscribeConfirmPage({ company: profile.companyName, actionUrl: `/s/${token}/unsubscribe` }));
  }

  /** Also the target of one-click List-Unsubscribe-Post from mail clients. */
  @Post('unsubscribe')
  @HttpCode(200)
  async unsubscribe(@Param('token') token: string, @Res() res: Response): Promise<void> {
    const survey = await this.anyAge(token, res);
    if (!survey) return;
    await this.responses.unsubscribe(survey);
    const { profile } = await this.program.get();
    res.type('html').send(renderUnsubscribedPage({ company: profile.companyName, email: survey.email }));
  }

  /** A score link from the email: the page with that score chosen. Records nothing (scanners open it too). */
  @Get(':score')
  async click(@Param('token') token: string, @Param('score') raw: string, @Res() res: Response): Promise<void> {
    res.set('Cache-Control', 'no-store'); // a cached copy would show another visit's state
    const survey = await this.open(token, res);
    if (!survey) return;
    const score = parseScore(raw);
    if (!isValidScore(score)) {
      res
        .status(400)
        .type('html')
        .send(await this.scorePage(token, survey, SCORE_ERROR));
      return;
    }
    if (survey.response?.settled) return this.thankYou(res);
    res.type('html').send(
      renderAnswerPage({
        ...(await this.question(survey)),
        score,
        actionUrl: `/s/${token}/score`,
        tokenPath: `/s/${token}`,
        scriptUrl: SURVEY_SCRIPT_URL,
        comment: survey.response?.comment ?? null,
        referenceOptIn: survey.response?.referenceOptIn ?? false,
      }),
    );
  }

  /**
   * Three senders: the page's script once the page was visible for 2 s (`via=visible`: records
   * the score, answers 204); the answer page's form (carries `comment`: records score and comment
   * and settles); the plain score page's form (records the score, then asks the question).
   */
  @Post('score')
  @HttpCode(200)
  async submitScore(
    @Param('token') token: string,
    @Body() body: { score?: unknown; comment?: unknown; referenceOptIn?: unknown; via?: unknown },
    @Res() res: Response,
  ): Promise<void> {
    const survey = await this.open(token, res);
    if (!survey) return;
    const score = parseScore(body?.score);
    if (body?.via !== undefined) {
      if (body.via !== 'visible') {
        res.status(400).type('text').send('via: must be "visible"');
      } else if (!isValidScore(score)) {
        res.status(400).type('text').send(`score: ${SCORE_ERROR}`);
      } else {
        await this.responses.recordScore(survey, score);
        res.status(204).end();
      }
      return;
    }
    if (!isValidScore(score)) {
      res
        .status(400)
        .type('html')
        .send(await this.scorePage(token, survey, SCORE_ERROR));
      return;
    }
    if (survey.response?.settled) return this.thankYou(res);
    if (typeof body?.comment === 'string') {
      await this.responses.recordAnswer(survey, score, body.comment.slice(0, 5000), body?.referenceOptIn === 'yes');
      return this.thankYou(res);
    }
    await this.afterScore(token, survey, score, res);
  }

  @Post('comment')
  @HttpCode(200)
  async comment(@Param('token') token: string, @Body() body: { comment?: unknown; referenceOptIn?: unknown }, @Res() res: Response): Promise<void> {
    const survey = await this.open(token, res);
    if (!survey) return;
    if (!survey.response) {
      res
        .status(400)
        .type('html')
        .send(await this.scorePage(token, survey, SCORE_ERROR));
      return;
    }
    const comment = typeof body?.comment === 'string' ? body.comment.slice(0, 5000) : '';
    await this.responses.recordComment(survey, comment, body?.referenceOptIn === 'yes');
    const { profile } = await this.program.get();
    res.type('html').send(renderThankYouPage({ company: profile.companyName }));
  }
}
