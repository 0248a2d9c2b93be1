-- A moderate data set made with plain SQL, to try scripts/bench/explain.sh
-- before a database seeded by `habeas seed` is at hand (issue 14). Run on a
-- freshly migrated, empty database:
--   psql "$URL" -v n=100000 -f scripts/bench/testdata/generate_postgres.sql
-- :n detainees, 1.5 cases each, 2 charges and :e events per case, one
-- lawyer user holding 200 cases. Ids are fixed-width so their order is
-- the order of creation, like UUIDv7.
\set ON_ERROR_STOP on
\if :{?n} \else \set n 100000 \endif
\if :{?e} \else \set e 10 \endif
BEGIN;
INSERT INTO detainees (id, name, home_province, issue, detention_status, search, created_at, updated_at)
SELECT format('00000000-0000-7000-8000-%s', lpad(i::text, 12, '0')),
       nm, (ARRAY['Beijing','Shanghai','Guangdong','Xinjiang','Tibet','Hubei','Sichuan'])[1 + i % 7],
       (ARRAY['expression','religious_freedom','ethnic_minority_rights','labour','lawyers','human_rights_defenders'])[1 + i % 6],
       (ARRAY['detained','rsdl','sentenced','released'])[1 + i % 4],
       lower(nm || ' ' || py), now(), now()
FROM (SELECT i,
             substr('王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗', 1 + i % 20, 1) ||
             substr('志永家喜晓波明华建国丽娟伟强秀英文军平红玉兰春梅海燕德胜', 1 + (i / 20) % 30, 1) ||
             substr('志永家喜晓波明华建国丽娟伟强秀英文军平红玉兰春梅海燕德胜', 1 + (i / 600) % 30, 1) AS nm,
             (ARRAY['wang','li','zhang','liu','chen','yang','huang','zhao','wu','zhou'])[1 + i % 10] || ' ' ||
             (ARRAY['zhiyong','jiaxi','xiaobo','ming','hua','jianguo','li','juan','wei','qiang'])[1 + (i / 10) % 10] AS py
      FROM generate_series(1, :n) AS i) s;

INSERT INTO cases (id, detainee_id, status, stage, detained_at, detained_at_sort, search, created_at, updated_at)
SELECT format('00000000-0000-7000-9000-%s', lpad(j::text, 12, '0')),
       format('00000000-0000-7000-8000-%s', lpad((1 + (j - 1) % :n)::text, 12, '0')),
       (ARRAY['open','open','open','closed'])[1 + j % 4],
       (ARRAY['criminal_detention','rsdl','arrested','indicted','first_instance_trial','final_verdict'])[1 + j % 6],
       d, d, lower('case ' || j), now(), now()
FROM (SELECT j, to_char(date '2012-01-01' + (j * 7 % 4000), 'YYYY-MM-DD') AS d
      FROM generate_series(1, :n * 3 / 2) AS j) s;

INSERT INTO case_charges (id, case_id, position, charge)
SELECT c.id || '-' || k, c.id, k,
       (ARRAY['art105_inciting_subversion','art293_picking_quarrels','art103_inciting_splittism','art300_cult'])[1 + (k + length(c.id) + ascii(right(c.id, 1))) % 4]
FROM cases c, generate_series(0, 1) AS k;

INSERT INTO case_events (id, case_id, type, occurred_at, date_precision, sort_key, created_at, updated_at)
SELECT c.id || '-e' || k, c.id, (ARRAY['detention','meeting_denied','transfer','summons'])[1 + k % 4],
       c.detained_at, 'day', c.detained_at || '/' || k, now(), now()
FROM cases c, generate_series(1, :e) AS k;

INSERT INTO users (id, email, name, role, password_hash, password_changed_at, created_at, updated_at)
VALUES ('00000000-0000-7000-a000-000000000001', 'explain-lawyer@example.org', 'explain lawyer', 'lawyer', '!', now(), now(), now());
INSERT INTO lawyers (id, user_id, name, search, created_at, updated_at)
SELECT format('00000000-0000-7000-b000-%s', lpad(i::text, 12, '0')),
       CASE WHEN i = 1 THEN '00000000-0000-7000-a000-000000000001' END, '律师' || i, 'lawyer ' || i, now(), now()
FROM generate_series(1, 2000) AS i;
INSERT INTO assignments (id, case_id, lawyer_id, role, status, created_at, updated_at)
SELECT c.id || '-a', c.id, format('00000000-0000-7000-b000-%s', lpad((1 + (row_number() OVER (ORDER BY c.id) - 1) % 2000)::text, 12, '0')),
       'family_retained', 'active', now(), now()
FROM cases c;
COMMIT;
ANALYZE detainees, cases, case_charges, case_events, lawyers, assignments;
