import { Module } from '@nestjs/common';
import { RelationalSurveyPlanner } from '../../../worker/src/surveys/relational-survey-planner';
import { ProgramModule } from '../program/program.module';
import { PlanController } from './plan.controller';
import { PlanService } from './plan.service';

/** Plan preview and "plan now": the relational plan's own code, run from the API. */
@Module({ imports: [ProgramModule], controllers: [PlanController], providers: [RelationalSurveyPlanner, PlanService] })
export class PlanModule {}
