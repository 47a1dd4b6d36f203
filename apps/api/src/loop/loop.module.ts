import { Module } from '@nestjs/common';
import { ProgramModule } from '../program/program.module';
import { LoopClosureController } from './loop-closure.controller';
import { LoopClosureService } from './loop-closure.service';

@Module({ imports: [ProgramModule], controllers: [LoopClosureController], providers: [LoopClosureService] })
export class LoopClosureModule {}
