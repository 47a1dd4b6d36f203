import { Module } from '@nestjs/common';
import { ProgramModule } from '../program/program.module';
import { SurveyPagesController } from './survey-pages.controller';
import { SurveyResponseService } from './survey-response.service';

@Module({ imports: [ProgramModule], controllers: [SurveyPagesController], providers: [SurveyResponseService] })
export class SurveysModule {}
