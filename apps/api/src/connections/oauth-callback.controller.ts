import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { escapeHtml, page } from '@libs/app/src/html/html';
import { OAuthCallbackQuery, OAuthConnectService, OAuthStateRefused } from '@libs/app/src/connections/oauth-connect.service';

/** The page for a callback that cannot be tied to a flow: nothing to return to, so it says what to do. */
function refusedPage(reason: string): string {
  return page({
    title: 'This sign-in cannot be completed',
    noindex: true,
    body: `<h1>This sign-in cannot be completed</h1>
<p class="error" role="alert">${escapeHtml(reason)}</p>
<p>Nothing was connected. Start connecting the vendor again from nps-bridge.</p>`,
  });
}

/**
 * Where vendors send the admin's browser after the consent page (the callback URL registered on
 * the app). Outside /api: the browser carries no admin key; the single-use state names the flow.
 * It answers with a redirect to the flow's return path, or a 400 page when the state names no
 * unused flow.
 */
@ApiExcludeController()
@Controller('oauth')
export class OAuthCallbackController {
  constructor(private readonly oauth: OAuthConnectService) {}

  @Get('callback/:kind')
  async callback(@Param('kind') kind: string, @Query() query: OAuthCallbackQuery, @Res() res: Response): Promise<void> {
    // The code in the URL is single-use and short-lived, but no cache keeps it either.
    res.setHeader('Cache-Control', 'no-store');
    try {
      const answer = await this.oauth.callback(kind, query);
      res.redirect(303, answer.redirectTo);
    } catch (error) {
      if (!(error instanceof OAuthStateRefused)) throw error;
      const said = (error.getResponse() as { message?: unknown }).message;
      const reason = Array.isArray(said) ? said.join('; ') : String(said ?? error.message);
      res.status(400).type('html').send(refusedPage(reason));
    }
  }
}
