import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';

export const SURVEY_SCRIPT_URL = '/assets/survey.js';

/**
 * The script lives as a plain .js file beside this one. `tsc` compiles only TypeScript, so a
 * built app (dist/apps/api/src/surveys) finds it in the source tree, which ships with the build
 * (the Dockerfile copies the whole tree). Read once at start: a missing file fails the start.
 */
function loadSurveyScript(): string {
  const candidates = [join(__dirname, 'assets', 'survey.js'), join(__dirname, '..', '..', '..', '..', '..', 'apps', 'api', 'src', 'surveys', 'assets', 'survey.js')];
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new Error(`the survey page script is missing; looked in ${candidates.join(', ')}`);
  return readFileSync(found, 'utf8');
}

const SURVEY_SCRIPT = loadSurveyScript();

/** Static files of the survey pages: same origin, so a strict Content-Security-Policy allows them. */
@ApiExcludeController()
@Controller('assets')
export class SurveyAssetsController {
  @Get('survey.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=3600')
  @Header('X-Content-Type-Options', 'nosniff')
  surveyScript(): string {
    return SURVEY_SCRIPT;
  }
}
