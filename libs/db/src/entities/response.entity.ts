import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { SurveyStream, SurveyTrigger } from './survey.entity';

export type ResponseCategory = 'promoter' | 'passive' | 'detractor';

/**
 * An answer. The snapshots freeze the respondent's role and the account's segments at answer
 * time, so history does not move when the account changes later.
 */
@Entity('responses')
export class Response {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'survey_id' }) surveyId: string;
  @Column('text') stream: SurveyStream;
  @Column('text') trigger: SurveyTrigger;
  @Column('uuid', { name: 'contact_id', nullable: true }) contactId: string | null;
  @Column('uuid', { name: 'account_id', nullable: true }) accountId: string | null;
  @Column('smallint') score: number;
  @Column('text') category: ResponseCategory;
  @Column('text', { nullable: true }) comment: string | null;
  @Column('text', { array: true, default: [] }) themes: string[];
  @Column('boolean', { name: 'reference_opt_in', default: false }) referenceOptIn: boolean;
  @Column('text', { name: 'role_snapshot', nullable: true }) roleSnapshot: string | null;
  @Column('text', { name: 'tier_snapshot', nullable: true }) tierSnapshot: string | null;
  @Column('text', { name: 'arr_band_snapshot', nullable: true }) arrBandSnapshot: string | null;
  @Column('text', { name: 'tenure_band_snapshot', nullable: true }) tenureBandSnapshot: string | null;
  @Column('boolean', { name: 'enterprise_snapshot', nullable: true }) enterpriseSnapshot: boolean | null;
  @Column('timestamptz', { name: 'first_answered_at', default: () => 'now()' }) firstAnsweredAt: Date;
  @Column('timestamptz', { name: 'last_changed_at', default: () => 'now()' }) lastChangedAt: Date;
  /** Set at comment submit or 30 minutes after the last click; follow-ups use settled answers. */
  @Column('timestamptz', { name: 'settled_at', nullable: true }) settledAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
