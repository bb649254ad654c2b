-- The monitor's approval queue and the menu's count read the waiting extension requests and
-- obstacles on every page: partial indexes keep that to the few waiting rows.
CREATE INDEX extension_requests_pending ON extension_requests(assignment_id) WHERE state = 'pending';
CREATE INDEX obstacles_open ON obstacles(assignment_id) WHERE state = 'open';
