import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { LoopModule } from './loop/loop.module';
import { SurveysWorkerModule } from './surveys/surveys-worker.module';
import { SyncModule } from './sync/sync.module';

/**
 * The job consumers and the schedules that enqueue them. Feature modules (sync, planner,
 * dispatch, settle, write-back) register their handlers here as they land.
 */
@Module({
  imports: [ScheduleModule.forRoot(), SyncModule, SurveysWorkerModule, LoopModule],
})
export class WorkerModule {}
