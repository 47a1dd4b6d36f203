import { Module } from '@nestjs/common';
import { LoopClosureController } from './loop-closure.controller';

@Module({ controllers: [LoopClosureController] })
export class LoopClosureModule {}
