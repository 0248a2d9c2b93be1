-- The SQLite twin of generate_postgres.sql (same rows, same ids): run on a
-- freshly migrated, empty database, e.g.
--   sqlite3 habeas.db < scripts/bench/testdata/generate_sqlite.sql
-- 100,000 detainees, 150,000 cases, 2 charges and 10 events per case,
-- 2,000 lawyers (one of them a user). Edit the two numbers in "params" to
-- change the size.
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TEMP TABLE params AS SELECT 100000 AS n, 10 AS e;
CREATE TEMP TABLE seq AS
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < (SELECT n * 3 / 2 FROM params)) SELECT i FROM s;

INSERT INTO detainees (id, name, home_province, issue, detention_status, search, created_at, updated_at)
SELECT printf('00000000-0000-7000-8000-%012d', i), nm,
       CASE i % 7 WHEN 0 THEN 'Beijing' WHEN 1 THEN 'Shanghai' WHEN 2 THEN 'Guangdong' WHEN 3 THEN 'Xinjiang' WHEN 4 THEN 'Tibet' WHEN 5 THEN 'Hubei' ELSE 'Sichuan' END,
       CASE i % 6 WHEN 0 THEN 'expression' WHEN 1 THEN 'religious_freedom' WHEN 2 THEN 'ethnic_minority_rights' WHEN 3 THEN 'labour' WHEN 4 THEN 'lawyers' ELSE 'human_rights_defenders' END,
       CASE i % 4 WHEN 0 THEN 'detained' WHEN 1 THEN 'rsdl' WHEN 2 THEN 'sentenced' ELSE 'released' END,
       lower(nm || ' ' || py), datetime('now'), datetime('now')
FROM (SELECT i,
             substr('王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗', 1 + i % 20, 1) ||
             substr('志永家喜晓波明华建国丽娟伟强秀英文军平红玉兰春梅海燕德胜', 1 + (i / 20) % 30, 1) ||
             substr('志永家喜晓波明华建国丽娟伟强秀英文军平红玉兰春梅海燕德胜', 1 + (i / 600) % 30, 1) AS nm,
             CASE i % 10 WHEN 0 THEN 'wang' WHEN 1 THEN 'li' WHEN 2 THEN 'zhang' WHEN 3 THEN 'liu' WHEN 4 THEN 'chen' WHEN 5 THEN 'yang' WHEN 6 THEN 'huang' WHEN 7 THEN 'zhao' WHEN 8 THEN 'wu' ELSE 'zhou' END || ' ' ||
             CASE (i / 10) % 10 WHEN 0 THEN 'zhiyong' WHEN 1 THEN 'jiaxi' WHEN 2 THEN 'xiaobo' WHEN 3 THEN 'ming' WHEN 4 THEN 'hua' WHEN 5 THEN 'jianguo' WHEN 6 THEN 'li' WHEN 7 THEN 'juan' WHEN 8 THEN 'wei' ELSE 'qiang' END AS py
      FROM seq WHERE i <= (SELECT n FROM params));

INSERT INTO cases (id, detainee_id, status, stage, detained_at, detained_at_sort, search, created_at, updated_at)
SELECT printf('00000000-0000-7000-9000-%012d', j), printf('00000000-0000-7000-8000-%012d', 1 + (j - 1) % (SELECT n FROM params)),
       CASE j % 4 WHEN 3 THEN 'closed' ELSE 'open' END,
       CASE j % 6 WHEN 0 THEN 'criminal_detention' WHEN 1 THEN 'rsdl' WHEN 2 THEN 'arrested' WHEN 3 THEN 'indicted' WHEN 4 THEN 'first_instance_trial' ELSE 'final_verdict' END,
       d, d, 'case ' || j, datetime('now'), datetime('now')
FROM (SELECT i AS j, date('2012-01-01', '+' || (i * 7 % 4000) || ' days') AS d FROM seq);

INSERT INTO case_charges (id, case_id, position, charge)
SELECT c.id || '-' || k.k, c.id, k.k,
       CASE (k.k + unicode(substr(c.id, -1))) % 4 WHEN 0 THEN 'art105_inciting_subversion' WHEN 1 THEN 'art293_picking_quarrels' WHEN 2 THEN 'art103_inciting_splittism' ELSE 'art300_cult' END
FROM cases c, (SELECT 0 AS k UNION ALL SELECT 1) k;

INSERT INTO case_events (id, case_id, type, occurred_at, date_precision, sort_key, created_at, updated_at)
SELECT c.id || '-e' || k.i, c.id, CASE k.i % 4 WHEN 0 THEN 'detention' WHEN 1 THEN 'meeting_denied' WHEN 2 THEN 'transfer' ELSE 'summons' END,
       c.detained_at, 'day', c.detained_at || '/' || k.i, datetime('now'), datetime('now')
FROM cases c, (SELECT i FROM seq WHERE i <= (SELECT e FROM params)) k;

INSERT INTO users (id, email, name, role, password_hash, password_changed_at, created_at, updated_at)
VALUES ('00000000-0000-7000-a000-000000000001', 'explain-lawyer@example.org', 'explain lawyer', 'lawyer', '!', datetime('now'), datetime('now'), datetime('now'));
INSERT INTO lawyers (id, user_id, name, search, created_at, updated_at)
SELECT printf('00000000-0000-7000-b000-%012d', i), CASE WHEN i = 1 THEN '00000000-0000-7000-a000-000000000001' END,
       '律师' || i, 'lawyer ' || i, datetime('now'), datetime('now')
FROM seq WHERE i <= 2000;
INSERT INTO assignments (id, case_id, lawyer_id, role, status, created_at, updated_at)
SELECT c.id || '-a', c.id, printf('00000000-0000-7000-b000-%012d', 1 + (CAST(substr(c.id, 25) AS INTEGER) - 1) % 2000), 'family_retained', 'active', datetime('now'), datetime('now')
FROM cases c;
COMMIT;
PRAGMA foreign_keys = ON;
ANALYZE;
