import { Module } from '@nestjs/common';
import { PlanController } from './plan.controller';

/** Plan preview and "plan now": the relational plan's own code, run from the API. */
@Module({ controllers: [PlanController] })
export class PlanModule {}
