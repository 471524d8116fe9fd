-- 任务审计日志：记录任务状态变更、参与者加入/退出等操作
-- 数据量增长很快（每个任务几十条），按 task_id 查询为主

CREATE TABLE IF NOT EXISTS task_audit_logs (
    id BIGSERIAL PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    participant_id INTEGER REFERENCES task_participants(id) ON DELETE SET NULL,
    user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    action VARCHAR(50) NOT NULL,
    details JSONB,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- 索引：任务、参与者、时间
CREATE INDEX IF NOT EXISTS idx_audit_logs_task ON task_audit_logs (task_id);
CREATE INDEX IF NOT EXISTS idx_audit_logs_participant ON task_audit_logs (participant_id);
CREATE INDEX IF NOT EXISTS idx_audit_logs_created_at ON task_audit_logs (created_at DESC);
