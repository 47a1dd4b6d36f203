import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig, CLOCK, Clock, publicBaseUrl } from '@libs/config/src';
import { AccountHealthRepository, PermalinkAccountHealth } from '@libs/db/src/repositories/account-health.repository';
import { ResponsePermalinksRepository, responsePageUrl } from '@libs/db/src/repositories/response-permalinks.repository';
import { EarlierAnswer, PermalinkAnswer, ResponsesRepository } from '@libs/db/src/repositories/responses.repository';
import { IssuedPermalinkDto, RevokedPermalinksDto } from './response-permalink.dto';

/** What the response page shows: the answer, the person's earlier answers, the account's health. */
export interface ResponsePageInput {
  company: string;
  answer: PermalinkAnswer;
  earlier: readonly EarlierAnswer[];
  /** Null when the response has no account or its health was not computed yet. */
  health: PermalinkAccountHealth | null;
}

/** A permalink token as issued: 32 random bytes in base64url. Anything else is not looked up. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * The read-only response page's links (rules §6): issued when a follow-up is planned
 * (by the planner, on the settle's transaction) or by an admin, revoked by an admin.
 */
@Injectable()
export class ResponsePermalinkService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private repository(): ResponsePermalinksRepository {
    return new ResponsePermalinksRepository(this.db.manager);
  }

  private responses(): ResponsesRepository {
    return new ResponsesRepository(this.db.manager);
  }

  private async mustExist(responseId: string): Promise<void> {
    if (!(await this.responses().exists(responseId))) throw new NotFoundException(`no response with id ${responseId}`);
  }

  async issue(responseId: string, actor: string): Promise<IssuedPermalinkDto> {
    await this.mustExist(responseId);
    const now = this.clock.now();
    const token = await this.repository().issue(responseId, actor, now);
    return Object.assign(new IssuedPermalinkDto(), { responseId, url: responsePageUrl(publicBaseUrl(this.config), token), createdAt: now });
  }

  async revoke(responseId: string, actor: string): Promise<RevokedPermalinksDto> {
    await this.mustExist(responseId);
    const revoked = await this.repository().revokeAll(responseId, actor, this.clock.now());
    return Object.assign(new RevokedPermalinksDto(), { responseId, revoked });
  }

  /** What the page shows, or null for an unknown or revoked link. */
  async page(token: string): Promise<Omit<ResponsePageInput, 'company'> | null> {
    if (!TOKEN_SHAPE.test(token)) return null;
    const responseId = await this.repository().liveResponseId(token);
    return responseId ? this.view(responseId) : null;
  }

  /** What the page shows for a response, by its id (the console shows signed-in people the same view), or null when there is none. */
  async view(responseId: string): Promise<Omit<ResponsePageInput, 'company'> | null> {
    const answer = await this.responses().permalinkAnswer(responseId);
    if (!answer) return null;
    const [earlier, health] = await Promise.all([
      this.responses().earlierAnswers(answer),
      answer.accountId ? new AccountHealthRepository(this.db.manager).summaryOf(answer.accountId) : Promise.resolve(null),
    ]);
    return { answer, earlier, health };
  }
}
