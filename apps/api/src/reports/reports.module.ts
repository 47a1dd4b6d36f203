import { Module } from '@nestjs/common';
import { ReportViewsController } from './report-views.controller';
import { ReportsController } from './reports.controller';

@Module({ controllers: [ReportsController, ReportViewsController] })
export class ReportsModule {}
