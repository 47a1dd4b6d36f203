import { Module } from '@nestjs/common';
import { ResponsePageController, ResponsePermalinksController } from './response-permalinks.controller';
import { SurveyAssetsController } from './survey-assets.controller';
import { SurveyPagesController } from './survey-pages.controller';

@Module({ controllers: [SurveyPagesController, SurveyAssetsController, ResponsePermalinksController, ResponsePageController] })
export class SurveysModule {}
