import { Module } from '@nestjs/common';
import { ReportCsvController } from './report-csv.controller';
import { ReportViewsController } from './report-views.controller';
import { ReportsController } from './reports.controller';

@Module({ controllers: [ReportsController, ReportViewsController, ReportCsvController] })
export class ReportsModule {}
