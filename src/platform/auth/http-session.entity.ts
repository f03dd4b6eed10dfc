import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Account } from '../accounts/account.entity';

/**
 * The connect-pg-simple session table (sid, sess, expire) declared as an entity so migrations and
 * drift checks cover it, plus account_id, which our store writes so all sessions of an account can
 * be ended at once (e.g. when it is disabled).
 */
@Entity('http_sessions')
export class HttpSession {
  @PrimaryColumn({ type: 'varchar' })
  sid: string;

  @Column('json')
  sess: unknown;

  @Index()
  @Column({ type: 'timestamptz' })
  expire: Date;

  @Index()
  @Column({ type: 'uuid', nullable: true })
  accountId: string | null;

  @ManyToOne(() => Account, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'account_id' })
  account?: Account;
}
