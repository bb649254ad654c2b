-- Secondments and leavers an agency gives in its periodic report carry the report version
-- that wrote them: a correction (a new version) replaces them instead of counting them twice.
ALTER TABLE staffing_secondments ADD COLUMN report_id BIGINT REFERENCES agency_reports(id);
ALTER TABLE staffing_leavers ADD COLUMN report_id BIGINT REFERENCES agency_reports(id);
CREATE INDEX staffing_secondments_report ON staffing_secondments(report_id);
CREATE INDEX staffing_leavers_report ON staffing_leavers(report_id);
