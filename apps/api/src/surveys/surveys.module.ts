import { Module } from '@nestjs/common';
import { SettlementEffectsModule } from '../../../worker/src/loop/settlement-effects';
import { ProgramModule } from '../program/program.module';
import { SurveyPagesController } from './survey-pages.controller';
import { SurveyResponseService } from './survey-response.service';

@Module({ imports: [ProgramModule, SettlementEffectsModule], controllers: [SurveyPagesController], providers: [SurveyResponseService] })
export class SurveysModule {}
