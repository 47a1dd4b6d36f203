import { Module } from '@nestjs/common';
import { SettlementEffectsModule } from '../../../worker/src/loop/settlement-effects';
import { ProgramModule } from '../program/program.module';
import { ResponsePermalinkService } from './response-permalink.service';
import { ResponsePageController, ResponsePermalinksController } from './response-permalinks.controller';
import { SurveyAssetsController } from './survey-assets.controller';
import { SurveyPagesController } from './survey-pages.controller';
import { SurveyResponseService } from './survey-response.service';

@Module({
  imports: [ProgramModule, SettlementEffectsModule],
  controllers: [SurveyPagesController, SurveyAssetsController, ResponsePermalinksController, ResponsePageController],
  providers: [SurveyResponseService, ResponsePermalinkService],
})
export class SurveysModule {}
