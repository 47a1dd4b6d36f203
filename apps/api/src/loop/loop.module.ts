import { Module } from '@nestjs/common';
import { LoopClosureController } from './loop-closure.controller';
import { WriteBackActionsController } from './write-back-actions.controller';

@Module({ controllers: [LoopClosureController, WriteBackActionsController] })
export class LoopClosureModule {}
