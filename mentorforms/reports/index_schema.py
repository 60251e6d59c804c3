"""The derived index's tables (SQLite): one row per workbook file, and the facts the reports need
from it (see :mod:`mentorforms.reports.facts`)."""

from __future__ import annotations

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE roster_cache (position INTEGER PRIMARY KEY, person_id TEXT, name TEXT, department TEXT, email TEXT,
                           division TEXT, rank TEXT, roles TEXT, mentors TEXT);
CREATE UNIQUE INDEX roster_cache_person ON roster_cache (person_id);
CREATE TABLE dirs (path TEXT PRIMARY KEY, mtime_ns INTEGER NOT NULL, racy INTEGER NOT NULL);
CREATE INDEX dirs_racy ON dirs (path) WHERE racy = 1;
CREATE TABLE files (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    folder TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    racy INTEGER NOT NULL,
    sha TEXT NOT NULL,
    problem TEXT,
    form_id TEXT, year INTEGER, person_id TEXT, department TEXT, status TEXT, instance TEXT,
    version INTEGER, saved_at TEXT, saved_by TEXT,
    is_latest INTEGER NOT NULL DEFAULT 0,
    is_official INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX files_key ON files (person_id, form_id, year);
CREATE INDEX files_official ON files (is_official, year, form_id);
CREATE INDEX files_latest ON files (is_latest, year);
CREATE INDEX files_problem ON files (path) WHERE problem IS NOT NULL;
CREATE INDEX files_racy ON files (path) WHERE racy = 1;
CREATE INDEX files_folder ON files (folder);
CREATE TABLE f_teaching (file_id INTEGER NOT NULL, field_id TEXT, hours REAL);
CREATE TABLE f_goals (file_id INTEGER NOT NULL, source TEXT, area_id TEXT, row INTEGER, goal TEXT, due TEXT,
                      status TEXT, status_date TEXT);
CREATE TABLE f_conference (file_id INTEGER NOT NULL, signed_on TEXT, conference_date TEXT, faculty_signed_on TEXT,
                           chair_signed_on TEXT, lcme_answered INTEGER, lcme_total INTEGER);
CREATE TABLE f_people (file_id INTEGER NOT NULL, relation TEXT, name TEXT, other_id TEXT, role TEXT, source TEXT);
CREATE TABLE f_promotion (file_id INTEGER NOT NULL, outlook TEXT, no_promotion_reason TEXT, advancement_requires TEXT);
CREATE TABLE f_support (file_id INTEGER NOT NULL, field_id TEXT, needed INTEGER, note TEXT);
CREATE TABLE f_agreement (file_id INTEGER NOT NULL, mentor_id TEXT, mentor_name TEXT, start_date TEXT,
                          revisit_date TEXT, signed INTEGER);
CREATE TABLE f_record (file_id INTEGER NOT NULL, body TEXT NOT NULL);
CREATE INDEX f_teaching_file ON f_teaching (file_id);
CREATE INDEX f_goals_file ON f_goals (file_id);
CREATE INDEX f_conference_file ON f_conference (file_id);
CREATE INDEX f_people_file ON f_people (file_id);
CREATE INDEX f_promotion_file ON f_promotion (file_id);
CREATE INDEX f_support_file ON f_support (file_id);
CREATE INDEX f_agreement_file ON f_agreement (file_id);
CREATE INDEX f_record_file ON f_record (file_id);
"""
#: Per department, a counter moved by every refresh that changed one of its workbooks.
GENERATION_TABLE = ("CREATE TABLE IF NOT EXISTS dept_generation (department TEXT PRIMARY KEY, "
                    "generation INTEGER NOT NULL)")
FACT_TABLES = ("f_teaching", "f_goals", "f_conference", "f_people", "f_promotion", "f_support", "f_agreement",
               "f_record")
