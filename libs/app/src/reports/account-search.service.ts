import { BadRequestException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccountSearchRow, ReportPeopleRepository } from '@libs/db/src/repositories/report-people.repository';

/** Accounts a search page lists. */
export const ACCOUNT_SEARCH_PAGE_SIZE = 25;
/** The longest search text: longer than any account name or CRM id worth typing. */
const MAX_SEARCH_TEXT = 200;
const MAX_PAGE = 10_000;

export interface AccountSearchPage {
  /** The search text as used (trimmed). */
  text: string;
  page: number;
  pageSize: number;
  /** How many accounts match in all. */
  total: number;
  rows: AccountSearchRow[];
}

/**
 * Finds accounts by name or CRM id, a page at a time, to open their account view (the account and
 * person views are ReportViewsService). Bad input is refused naming the parameter.
 */
@Injectable()
export class AccountSearchService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async search(text: string, page: number): Promise<AccountSearchPage> {
    const wanted = text.trim();
    if (!wanted) throw new BadRequestException(['q: type part of an account name or its CRM id']);
    if (wanted.length > MAX_SEARCH_TEXT) throw new BadRequestException([`q: must be at most ${MAX_SEARCH_TEXT} characters`]);
    if (!Number.isInteger(page) || page < 1 || page > MAX_PAGE) throw new BadRequestException([`page: must be a whole number from 1 to ${MAX_PAGE}`]);
    const { rows, total } = await new ReportPeopleRepository(this.db.manager).searchAccounts(wanted, ACCOUNT_SEARCH_PAGE_SIZE, (page - 1) * ACCOUNT_SEARCH_PAGE_SIZE);
    return { text: wanted, page, pageSize: ACCOUNT_SEARCH_PAGE_SIZE, total, rows };
  }
}
