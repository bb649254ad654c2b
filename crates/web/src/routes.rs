//! The route table: every route is registered through [`table`], which records its method, path
//! and who may call it. The router is built from it and the rights test is generated from it,
//! so a new route cannot escape either the guard or the test.

use axum::extract::Request;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post, MethodRouter};
use axum::Router;
use tinhgon_domain::user::Role;

pub use crate::config::BodyClass;
use crate::error::WebError;
use crate::{api, assets, pages, AppState};

/// HTTP method of a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    /// GET (never changes anything).
    Get,
    /// POST (changes something; CSRF-checked).
    Post,
}

/// Who may call a route (checked before the handler; object-level rights such as "its own unit"
/// are then checked by the handler with the domain's permission helpers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in account.
    SignedIn,
    /// Only these roles.
    Roles(&'static [Role]),
}

impl Access {
    /// May an account of `role` (None: anonymous) pass the guard?
    pub fn admits(self, role: Option<Role>) -> bool {
        match self {
            Access::Public => true,
            Access::SignedIn => role.is_some(),
            Access::Roles(rs) => role.is_some_and(|r| rs.contains(&r)),
        }
    }
}

/// One route of the table.
#[derive(Debug, Clone, Copy)]
pub struct RouteSpec {
    /// Method.
    pub verb: Verb,
    /// Path with `{param}` placeholders named after the object kind (`{assignment}`, `{plan}` …).
    pub path: &'static str,
    /// Who passes the guard.
    pub access: Access,
    /// Further limited to the owning unit's officer (checked in the handler).
    pub own_unit_only: bool,
    /// What its body may be, which sets its size limit (`[upload_limits]` of the configuration).
    pub body: BodyClass,
}

impl RouteSpec {
    /// The same route accepting a body of `class` (an upload route).
    const fn takes(self, class: BodyClass) -> RouteSpec {
        RouteSpec {
            body: class,
            ..self
        }
    }

    /// True when the route changes state.
    pub fn mutating(&self) -> bool {
        self.verb == Verb::Post
    }
}

/// Roles that monitor (Sở Nội vụ, and the admin who holds every monitoring right).
pub const MONITORS: &[Role] = &[Role::Admin, Role::Monitor];
/// Roles that import a plan and review its draft: monitors for the province, an agency
/// officer for its own unit's plan (which it sends to the monitor; the use case checks the draft).
pub const IMPORTERS: &[Role] = &[Role::Admin, Role::Monitor, Role::AgencyOfficer];
/// Only the admin.
pub const ADMIN: &[Role] = &[Role::Admin];
/// Only agency officers.
pub const OFFICERS: &[Role] = &[Role::AgencyOfficer];
/// Roles that enter staffing figures (monitors for their province, officers for their unit).
pub const STAFFING_WRITERS: &[Role] = &[Role::Admin, Role::Monitor, Role::AgencyOfficer];
/// Roles that take part in an assignment's comments (the rights on the object: lead or
/// coordinating unit, monitor of the province, are checked by the use case).
pub const COMMENTERS: &[Role] = &[Role::Admin, Role::Monitor, Role::AgencyOfficer];
/// Roles that read the province's dashboards.
pub const READERS: &[Role] = &[Role::Admin, Role::Monitor, Role::Leader];

use Access::{Public, Roles, SignedIn};
use Verb::{Get, Post};

fn spec(verb: Verb, path: &'static str, access: Access) -> RouteSpec {
    RouteSpec {
        verb,
        path,
        access,
        own_unit_only: false,
        body: BodyClass::Form,
    }
}

fn own(verb: Verb, path: &'static str, access: Access) -> RouteSpec {
    RouteSpec {
        verb,
        path,
        access,
        own_unit_only: true,
        body: BodyClass::Form,
    }
}

/// The whole table: spec and handler side by side.
pub fn table() -> Vec<(RouteSpec, MethodRouter<AppState>)> {
    vec![
        (spec(Get, "/", Public), get(pages::home)),
        (spec(Get, "/healthz", Public), get(pages::healthz)),
        (spec(Get, "/readyz", Public), get(pages::readyz)),
        (spec(Get, "/metrics", Public), get(crate::metrics::metrics)),
        (
            spec(Get, "/assets/{version}/{name}", Public),
            get(assets::serve),
        ),
        (spec(Get, "/login", Public), get(pages::account::login_form)),
        (spec(Post, "/login", Public), post(pages::account::login)),
        (spec(Post, "/logout", Public), post(pages::account::logout)),
        // First run: open to whoever holds the one-time token printed in the server's log,
        // and only while no account exists (otherwise "not found").
        (spec(Get, "/setup", Public), get(pages::first_run::form)),
        (spec(Post, "/setup", Public), post(pages::first_run::submit)),
        (
            spec(Get, "/account/password", SignedIn),
            get(pages::account::password_form),
        ),
        (
            spec(Post, "/account/password", SignedIn),
            post(pages::account::change_password),
        ),
        (
            spec(Get, "/admin/users", Roles(ADMIN)),
            get(pages::account::users),
        ),
        (
            spec(Post, "/admin/users", Roles(ADMIN)),
            post(pages::account::create_user),
        ),
        (
            spec(Post, "/admin/users/{user}/active", Roles(ADMIN)),
            post(pages::account::set_active),
        ),
        (
            spec(Get, "/admin/users/{user}", Roles(ADMIN)),
            get(pages::account::edit_user_form),
        ),
        (
            spec(Post, "/admin/users/{user}", Roles(ADMIN)),
            post(pages::account::edit_user),
        ),
        (
            spec(Post, "/admin/users/{user}/password", Roles(ADMIN)),
            post(pages::account::reset_password),
        ),
        (
            spec(Get, "/dashboard", Roles(READERS)),
            get(pages::dashboard::dashboard),
        ),
        (spec(Get, "/tasks", Roles(READERS)), get(pages::tasks::list)),
        (
            spec(Get, "/duties", Roles(READERS)),
            get(pages::duties::page),
        ),
        (
            spec(Post, "/tasks/filters", Roles(READERS)),
            post(pages::tasks::save_filter),
        ),
        (
            spec(Post, "/tasks/filters/{filter}/delete", Roles(READERS)),
            post(pages::tasks::delete_filter),
        ),
        (
            spec(Get, "/approvals", Roles(MONITORS)),
            get(pages::approvals::page),
        ),
        (
            spec(Post, "/approvals/decide", Roles(MONITORS)),
            post(pages::approvals::decide),
        ),
        (
            spec(Post, "/urging", Roles(MONITORS)),
            post(pages::work::urging::urge_many),
        ),
        (
            spec(Get, "/tasks.xlsx", Roles(READERS)),
            get(pages::tasks::export_xlsx),
        ),
        (
            spec(Get, "/tasks.csv", Roles(READERS)),
            get(pages::tasks::export_csv),
        ),
        (spec(Get, "/plans", SignedIn), get(pages::plans::list)),
        (
            spec(Get, "/plans/{plan}", SignedIn),
            get(pages::plans::show),
        ),
        (
            spec(Post, "/plans/{plan}/delete", Roles(MONITORS)),
            post(pages::plans::delete_draft),
        ),
        (
            spec(Post, "/plans/{plan}/public", Roles(MONITORS)),
            post(pages::plans::set_public),
        ),
        (spec(Get, "/public", Public), get(pages::plans::public_list)),
        (
            spec(Get, "/public/plans/{plan}", Public),
            get(pages::plans::public_show),
        ),
        (
            spec(Get, "/import", Roles(IMPORTERS)),
            get(pages::review::form),
        ),
        (
            spec(Post, "/import", Roles(IMPORTERS)).takes(BodyClass::Document),
            post(pages::review::upload),
        ),
        (
            spec(Get, "/import/template.xlsx", Roles(IMPORTERS)),
            get(pages::review::template),
        ),
        (
            spec(Get, "/plans/{plan}/review", Roles(IMPORTERS)),
            get(pages::review::review),
        ),
        (
            spec(Post, "/plans/{plan}/review/meta", Roles(IMPORTERS)),
            post(pages::review::edit_meta),
        ),
        (
            spec(
                Post,
                "/plans/{plan}/review/tasks/{task_index}",
                Roles(IMPORTERS),
            ),
            post(pages::review::edit_task),
        ),
        (
            spec(
                Post,
                "/plans/{plan}/review/targets/{target_index}",
                Roles(MONITORS),
            ),
            post(pages::review::edit_target),
        ),
        (
            spec(Post, "/plans/{plan}/review/map", Roles(IMPORTERS)),
            post(pages::review::map_agency),
        ),
        (
            spec(Post, "/plans/{plan}/publish", Roles(MONITORS)),
            post(pages::review::publish),
        ),
        // Plan cascade: the higher task a plan implements, and an agency's own plan sent to
        // the monitor, who publishes it or returns it.
        (
            spec(Get, "/plans/{plan}/parent", Roles(IMPORTERS)),
            get(pages::cascade::picker),
        ),
        (
            spec(Post, "/plans/{plan}/parent", Roles(IMPORTERS)),
            post(pages::cascade::set_parent),
        ),
        (
            spec(Post, "/plans/{plan}/submit", Roles(OFFICERS)),
            post(pages::cascade::submit),
        ),
        (
            spec(Post, "/plans/{plan}/return", Roles(MONITORS)),
            post(pages::cascade::return_to_unit),
        ),
        (
            spec(Get, "/inbox", Roles(OFFICERS)),
            get(pages::inbox::inbox),
        ),
        (
            spec(Get, "/assignments/{assignment}", SignedIn),
            get(pages::work::show),
        ),
        (
            own(Post, "/assignments/{assignment}/progress", Roles(OFFICERS))
                .takes(BodyClass::Evidence),
            post(pages::work::progress::progress),
        ),
        (
            own(Post, "/assignments/{assignment}/propose", Roles(OFFICERS)),
            post(pages::work::progress::propose),
        ),
        (
            own(Post, "/assignments/{assignment}/extension", Roles(OFFICERS)),
            post(pages::work::extensions::request_extension),
        ),
        (
            own(Post, "/assignments/{assignment}/obstacle", Roles(OFFICERS)),
            post(pages::work::obstacles::raise_obstacle),
        ),
        (
            own(Post, "/tasks/{task}/contributions", Roles(OFFICERS)),
            post(pages::work::contributions::contribute),
        ),
        (
            spec(Post, "/assignments/{assignment}/decide", Roles(MONITORS)),
            post(pages::work::decisions::decide),
        ),
        (
            spec(Post, "/extensions/{extension}/decide", Roles(MONITORS)),
            post(pages::work::extensions::decide_extension),
        ),
        (
            spec(Post, "/obstacles/{obstacle}/answer", Roles(MONITORS)),
            post(pages::work::obstacles::answer_obstacle),
        ),
        (
            spec(Post, "/obstacles/{obstacle}/refer", Roles(MONITORS)),
            post(pages::work::obstacles::refer_obstacle),
        ),
        (
            spec(Post, "/referrals/{referral}/opinion", Roles(READERS)),
            post(pages::work::obstacles::give_opinion),
        ),
        (
            spec(Get, "/referrals", Roles(READERS)),
            get(pages::referrals::page),
        ),
        (
            spec(Post, "/tasks/{task}/trigger", Roles(MONITORS)),
            post(pages::work::triggers::trigger),
        ),
        (
            spec(Post, "/assignments/{assignment}/reassign", Roles(MONITORS)),
            post(pages::work::plan_changes::reassign),
        ),
        (
            spec(Post, "/assignments/{assignment}/due", Roles(MONITORS)),
            post(pages::work::plan_changes::change_due),
        ),
        (
            spec(Post, "/tasks/{task}/coordinators/add", Roles(MONITORS)),
            post(pages::work::plan_changes::add_coordinator),
        ),
        (
            spec(Post, "/tasks/{task}/coordinators/withdraw", Roles(MONITORS)),
            post(pages::work::plan_changes::withdraw_coordinator),
        ),
        (
            spec(Post, "/tasks/{task}/withdraw", Roles(MONITORS)),
            post(pages::work::plan_changes::withdraw_task),
        ),
        (
            spec(Post, "/plans/{plan}/tasks/add", Roles(MONITORS)),
            post(pages::work::plan_changes::add_task),
        ),
        (
            spec(Post, "/units/{unit}/urge", Roles(MONITORS)),
            post(pages::work::urging::urge),
        ),
        (
            spec(
                Post,
                "/assignments/{assignment}/comments",
                Roles(COMMENTERS),
            ),
            post(pages::work::comments::post),
        ),
        // The calendar of deadlines; its feed is reached by calendar applications without a
        // session, the secret in the address being the right (unknown or revoked: not found).
        (spec(Get, "/calendar", SignedIn), get(pages::calendar::page)),
        (
            spec(Post, "/calendar/feed", SignedIn),
            post(pages::calendar::create_feed),
        ),
        (
            spec(Post, "/calendar/feed/revoke", SignedIn),
            post(pages::calendar::revoke_feed),
        ),
        (
            spec(Get, "/calendar/{feed}", Public),
            get(pages::calendar::ics),
        ),
        (
            spec(Get, "/evidence/{evidence}", SignedIn),
            get(pages::work::evidence::download),
        ),
        // Periodic reporting (issue 5).
        (spec(Get, "/reports", SignedIn), get(pages::periodic::index)),
        (
            spec(Get, "/assets/periodic.js", Public),
            get(pages::periodic::script),
        ),
        (
            spec(Get, "/plans/{plan}/reporting", Roles(READERS)),
            get(pages::periodic::schedule::page),
        ),
        (
            spec(Post, "/plans/{plan}/reporting/schedule", Roles(MONITORS)),
            post(pages::periodic::schedule::set_schedule),
        ),
        (
            spec(Post, "/report-requests/{request}/urge", Roles(MONITORS)),
            post(pages::periodic::schedule::urge),
        ),
        (
            spec(Get, "/report-requests/{request}", SignedIn),
            get(pages::periodic::agency::page),
        ),
        (
            own(Post, "/report-requests/{request}/submit", Roles(OFFICERS)),
            post(pages::periodic::agency::submit),
        ),
        (
            spec(
                Get,
                "/report-requests/{request}/versions/{version}",
                SignedIn,
            ),
            get(pages::periodic::agency::version),
        ),
        (
            spec(Get, "/plans/{plan}/report", Roles(READERS)),
            get(pages::periodic::leader::page),
        ),
        (
            spec(Get, "/plans/{plan}/report.docx", Roles(READERS)),
            get(pages::periodic::documents::docx),
        ),
        (
            spec(Get, "/plans/{plan}/report.xlsx", Roles(READERS)),
            get(pages::periodic::documents::xlsx),
        ),
        (
            spec(Get, "/plans/{plan}/report.csv", Roles(READERS)),
            get(pages::periodic::documents::csv),
        ),
        (
            spec(
                Get,
                "/plans/{plan}/units/{unit}/urging.docx",
                Roles(MONITORS),
            ),
            get(pages::periodic::documents::urging),
        ),
        (
            spec(Get, "/notifications", SignedIn),
            get(pages::notifications::notifications_page),
        ),
        (
            spec(Post, "/notifications/read", SignedIn),
            post(pages::notifications::mark_read),
        ),
        (
            spec(Get, "/audit/{kind}/{object}", Roles(MONITORS)),
            get(pages::audit::audit_page),
        ),
        (spec(Get, "/units", SignedIn), get(pages::register::units)),
        (
            spec(Get, "/units/lineage", SignedIn),
            get(pages::register::lineage),
        ),
        // The register updated from a newer file: upload, review, apply.
        (
            spec(Get, "/units/update", Roles(MONITORS)),
            get(pages::register_update::page),
        ),
        (
            spec(Post, "/units/update/preview", Roles(MONITORS)).takes(BodyClass::Spreadsheet),
            post(pages::register_update::preview),
        ),
        (
            spec(Post, "/units/update", Roles(MONITORS)).takes(BodyClass::Spreadsheet),
            post(pages::register_update::apply),
        ),
        (
            spec(Post, "/units", Roles(MONITORS)),
            post(pages::restructuring::add_unit),
        ),
        (
            spec(Post, "/units/{unit}/move", Roles(MONITORS)),
            post(pages::restructuring::move_unit),
        ),
        (
            spec(Post, "/units/{unit}/close", Roles(MONITORS)),
            post(pages::restructuring::close_unit),
        ),
        (
            spec(Post, "/units/{unit}/aliases", Roles(MONITORS)),
            post(pages::restructuring::alias),
        ),
        (
            spec(Get, "/restructuring", SignedIn),
            get(pages::restructuring::list),
        ),
        (
            spec(Post, "/restructuring/preview", Roles(MONITORS)),
            post(pages::restructuring::preview),
        ),
        (
            spec(Post, "/restructuring", Roles(MONITORS)),
            post(pages::restructuring::record),
        ),
        (
            spec(Post, "/restructuring/{event}/cancel", Roles(MONITORS)),
            post(pages::restructuring::cancel),
        ),
        (
            spec(Get, "/scenarios", Roles(READERS)),
            get(pages::scenarios::list),
        ),
        (
            spec(Post, "/scenarios", Roles(MONITORS)),
            post(pages::scenarios::create),
        ),
        (
            spec(Get, "/scenarios/compare", Roles(READERS)),
            get(pages::scenarios::compare),
        ),
        (
            spec(Get, "/scenarios/{scenario}", Roles(READERS)),
            get(pages::scenarios::show),
        ),
        (
            spec(Post, "/scenarios/{scenario}/events", Roles(MONITORS)),
            post(pages::scenarios::add_event),
        ),
        (
            spec(
                Post,
                "/scenarios/{scenario}/events/{scenario_event}/remove",
                Roles(MONITORS),
            ),
            post(pages::scenarios::remove_event),
        ),
        (
            spec(Post, "/scenarios/{scenario}/apply", Roles(MONITORS)),
            post(pages::scenarios::apply),
        ),
        (
            spec(Get, "/units/{unit}", SignedIn),
            get(pages::register::unit),
        ),
        (
            spec(Post, "/units/{unit}/functions", Roles(MONITORS)),
            post(pages::functions::add),
        ),
        (
            spec(
                Post,
                "/units/{unit}/functions/{function}/end",
                Roles(MONITORS),
            ),
            post(pages::functions::end),
        ),
        (spec(Get, "/search", SignedIn), get(pages::search::search)),
        // Staffing (biên chế): the province's attainment, targets, template and import; a
        // unit's ledger, entered by the province's monitors or the unit's own officer.
        (spec(Get, "/staffing", SignedIn), get(pages::staffing::page)),
        (
            spec(Post, "/staffing/targets", Roles(MONITORS)),
            post(pages::staffing::add_target),
        ),
        (
            spec(Get, "/staffing/report.docx", SignedIn),
            get(pages::staffing::report_docx),
        ),
        (
            spec(Get, "/staffing/report.xlsx", SignedIn),
            get(pages::staffing::report_xlsx),
        ),
        (
            spec(Get, "/staffing/template.xlsx", Roles(MONITORS)),
            get(pages::staffing::template),
        ),
        (
            spec(Post, "/staffing/import", Roles(MONITORS)).takes(BodyClass::Spreadsheet),
            post(pages::staffing::import),
        ),
        (
            spec(Get, "/units/{unit}/staffing", SignedIn),
            get(pages::staffing::unit_page),
        ),
        (
            own(Post, "/units/{unit}/staffing", Roles(STAFFING_WRITERS)),
            post(pages::staffing::record),
        ),
        (
            spec(Get, "/staffing/positions", Roles(READERS)),
            get(pages::positions::province_page),
        ),
        (
            spec(Get, "/units/{unit}/positions", SignedIn),
            get(pages::positions::unit_page),
        ),
        (
            own(Post, "/units/{unit}/positions", Roles(STAFFING_WRITERS)),
            post(pages::positions::add),
        ),
        (
            own(
                Post,
                "/units/{unit}/positions/{position}",
                Roles(STAFFING_WRITERS),
            ),
            post(pages::positions::edit),
        ),
        (
            own(
                Post,
                "/units/{unit}/positions/{position}/remove",
                Roles(STAFFING_WRITERS),
            ),
            post(pages::positions::remove),
        ),
        // The JSON API: same operations, same access as the pages above.
        (
            spec(Get, "/api/openapi.json", Public),
            get(api::openapi_json),
        ),
        (spec(Get, "/api/me", SignedIn), get(api::account::me)),
        (
            spec(Post, "/api/tokens", SignedIn),
            post(api::account::create_token),
        ),
        (
            spec(Get, "/api/users", Roles(ADMIN)),
            get(api::account::users),
        ),
        (
            spec(Post, "/api/users", Roles(ADMIN)),
            post(api::account::create_user),
        ),
        (
            spec(Post, "/api/users/{user}/active", Roles(ADMIN)),
            post(api::account::set_active),
        ),
        (
            spec(Get, "/api/notifications", SignedIn),
            get(api::account::notifications),
        ),
        (
            spec(Post, "/api/notifications/read", SignedIn),
            post(api::account::mark_read),
        ),
        (spec(Get, "/api/plans", SignedIn), get(api::plans::list)),
        (
            spec(Get, "/api/plans/{plan}", SignedIn),
            get(api::plans::show),
        ),
        (
            spec(Post, "/api/plans/import", Roles(IMPORTERS)).takes(BodyClass::Document),
            post(api::review::import),
        ),
        (
            spec(Get, "/api/plans/{plan}/review", Roles(IMPORTERS)),
            get(api::review::review),
        ),
        (
            spec(Post, "/api/plans/{plan}/review/meta", Roles(IMPORTERS)),
            post(api::review::edit_meta),
        ),
        (
            spec(
                Post,
                "/api/plans/{plan}/review/tasks/{task_index}",
                Roles(IMPORTERS),
            ),
            post(api::review::edit_task),
        ),
        (
            spec(Post, "/api/plans/{plan}/review/map", Roles(IMPORTERS)),
            post(api::review::map_agency),
        ),
        (
            spec(Post, "/api/plans/{plan}/publish", Roles(MONITORS)),
            post(api::review::publish),
        ),
        (
            spec(Get, "/api/plans/{plan}/parent", Roles(IMPORTERS)),
            get(api::cascade::picker),
        ),
        (
            spec(Post, "/api/plans/{plan}/parent", Roles(IMPORTERS)),
            post(api::cascade::set_parent),
        ),
        (
            spec(Post, "/api/plans/{plan}/submit", Roles(OFFICERS)),
            post(api::cascade::submit),
        ),
        (
            spec(Post, "/api/plans/{plan}/return", Roles(MONITORS)),
            post(api::cascade::return_to_unit),
        ),
        (
            spec(Get, "/api/plans/{plan}/tree", SignedIn),
            get(api::cascade::tree),
        ),
        (
            spec(Get, "/api/tasks/{task}/rollup", SignedIn),
            get(api::cascade::task_rollup),
        ),
        (
            spec(Post, "/api/plans/{plan}/public", Roles(MONITORS)),
            post(api::plans::set_public),
        ),
        (
            spec(Get, "/api/inbox", Roles(OFFICERS)),
            get(api::work::inbox),
        ),
        (
            spec(Get, "/api/assignments/{assignment}", SignedIn),
            get(api::work::show),
        ),
        (
            own(
                Post,
                "/api/assignments/{assignment}/progress",
                Roles(OFFICERS),
            )
            .takes(BodyClass::Evidence),
            post(api::work::progress),
        ),
        (
            own(
                Post,
                "/api/assignments/{assignment}/propose",
                Roles(OFFICERS),
            ),
            post(api::work::propose),
        ),
        (
            own(
                Post,
                "/api/assignments/{assignment}/extension",
                Roles(OFFICERS),
            ),
            post(api::work::extension),
        ),
        (
            own(
                Post,
                "/api/assignments/{assignment}/obstacle",
                Roles(OFFICERS),
            ),
            post(api::work::obstacle),
        ),
        (
            own(Post, "/api/tasks/{task}/contributions", Roles(OFFICERS)),
            post(api::work::contribute),
        ),
        (
            spec(Get, "/api/assignments/{assignment}/comments", SignedIn),
            get(api::comments::list),
        ),
        (
            spec(
                Post,
                "/api/assignments/{assignment}/comments",
                Roles(COMMENTERS),
            ),
            post(api::comments::post),
        ),
        (
            spec(Get, "/api/assignments", Roles(READERS)),
            get(api::lists::assignments),
        ),
        (
            spec(Get, "/api/approvals", Roles(MONITORS)),
            get(api::lists::approvals),
        ),
        (
            spec(Post, "/api/approvals/decide", Roles(MONITORS)),
            post(api::lists::decide),
        ),
        (
            spec(Post, "/api/urging", Roles(MONITORS)),
            post(api::monitor::urge_many),
        ),
        (
            spec(
                Post,
                "/api/assignments/{assignment}/reassign",
                Roles(MONITORS),
            ),
            post(api::plan_changes::reassign),
        ),
        (
            spec(Post, "/api/assignments/{assignment}/due", Roles(MONITORS)),
            post(api::plan_changes::change_due),
        ),
        (
            spec(Post, "/api/tasks/{task}/coordinators/add", Roles(MONITORS)),
            post(api::plan_changes::add_coordinator),
        ),
        (
            spec(
                Post,
                "/api/tasks/{task}/coordinators/withdraw",
                Roles(MONITORS),
            ),
            post(api::plan_changes::withdraw_coordinator),
        ),
        (
            spec(Post, "/api/tasks/{task}/withdraw", Roles(MONITORS)),
            post(api::plan_changes::withdraw_task),
        ),
        (
            spec(Post, "/api/plans/{plan}/tasks", Roles(MONITORS)),
            post(api::plan_changes::add_task),
        ),
        (
            spec(Get, "/api/plans/{plan}/changes", SignedIn),
            get(api::plan_changes::list),
        ),
        // An amending document imported as an amendment of a published plan.
        (
            spec(Post, "/plans/{plan}/review/amends", Roles(MONITORS)),
            post(pages::amendment::choose),
        ),
        (
            spec(
                Post,
                "/plans/{plan}/review/changes/{change_index}",
                Roles(MONITORS),
            ),
            post(pages::amendment::edit_change),
        ),
        (
            spec(Post, "/api/plans/{plan}/review/amends", Roles(MONITORS)),
            post(api::amendment::choose),
        ),
        (
            spec(
                Post,
                "/api/plans/{plan}/review/changes/{change_index}",
                Roles(MONITORS),
            ),
            post(api::amendment::edit_change),
        ),
        (
            spec(Get, "/api/plans/{plan}/amendments", SignedIn),
            get(api::amendment::list),
        ),
        (
            spec(Get, "/api/dashboard", Roles(READERS)),
            get(api::monitor::dashboard),
        ),
        (
            spec(
                Post,
                "/api/assignments/{assignment}/decide",
                Roles(MONITORS),
            ),
            post(api::monitor::decide),
        ),
        (
            spec(Post, "/api/extensions/{extension}/decide", Roles(MONITORS)),
            post(api::monitor::decide_extension),
        ),
        (
            spec(Post, "/api/obstacles/{obstacle}/answer", Roles(MONITORS)),
            post(api::monitor::answer_obstacle),
        ),
        (
            spec(Post, "/api/obstacles/{obstacle}/refer", Roles(MONITORS)),
            post(api::referrals::refer),
        ),
        (
            spec(Post, "/api/referrals/{referral}/opinion", Roles(READERS)),
            post(api::referrals::opinion),
        ),
        (
            spec(Get, "/api/referrals", Roles(READERS)),
            get(api::referrals::list),
        ),
        (
            spec(Post, "/api/tasks/{task}/trigger", Roles(MONITORS)),
            post(api::monitor::trigger),
        ),
        (
            spec(Post, "/api/units/{unit}/urge", Roles(MONITORS)),
            post(api::monitor::urge),
        ),
        (spec(Get, "/api/units", SignedIn), get(api::register::units)),
        (
            spec(Get, "/api/units/lineage", SignedIn),
            get(api::register::lineage),
        ),
        (
            spec(Get, "/api/units/{unit}/lineage", SignedIn),
            get(api::register::unit_lineage),
        ),
        (
            spec(Post, "/api/registry/update/preview", Roles(MONITORS))
                .takes(BodyClass::Spreadsheet),
            post(api::register_update::preview),
        ),
        (
            spec(Post, "/api/registry/update", Roles(MONITORS)).takes(BodyClass::Spreadsheet),
            post(api::register_update::apply),
        ),
        (
            spec(Post, "/api/units", Roles(MONITORS)),
            post(api::restructuring::add_unit),
        ),
        (
            spec(Post, "/api/units/{unit}/move", Roles(MONITORS)),
            post(api::restructuring::move_unit),
        ),
        (
            spec(Post, "/api/units/{unit}/close", Roles(MONITORS)),
            post(api::restructuring::close_unit),
        ),
        (
            spec(Post, "/api/units/{unit}/aliases", Roles(MONITORS)),
            post(api::restructuring::alias),
        ),
        (
            spec(Get, "/api/restructuring", SignedIn),
            get(api::restructuring::list),
        ),
        (
            spec(Post, "/api/restructuring/preview", Roles(MONITORS)),
            post(api::restructuring::preview),
        ),
        (
            spec(Post, "/api/restructuring", Roles(MONITORS)),
            post(api::restructuring::record),
        ),
        (
            spec(Post, "/api/restructuring/{event}/cancel", Roles(MONITORS)),
            post(api::restructuring::cancel),
        ),
        (
            spec(Get, "/api/scenarios", Roles(READERS)),
            get(api::scenarios::list),
        ),
        (
            spec(Post, "/api/scenarios", Roles(MONITORS)),
            post(api::scenarios::create),
        ),
        (
            spec(Get, "/api/scenarios/compare", Roles(READERS)),
            get(api::scenarios::compare),
        ),
        (
            spec(Get, "/api/scenarios/{scenario}", Roles(READERS)),
            get(api::scenarios::show),
        ),
        (
            spec(Post, "/api/scenarios/{scenario}/events", Roles(MONITORS)),
            post(api::scenarios::add_event),
        ),
        (
            spec(
                Post,
                "/api/scenarios/{scenario}/events/{scenario_event}/remove",
                Roles(MONITORS),
            ),
            post(api::scenarios::remove_event),
        ),
        (
            spec(Post, "/api/scenarios/{scenario}/apply", Roles(MONITORS)),
            post(api::scenarios::apply),
        ),
        (
            spec(Get, "/api/units/{unit}", SignedIn),
            get(api::register::unit),
        ),
        (
            spec(Get, "/api/registry/check", SignedIn),
            get(api::functions::check),
        ),
        (
            spec(Get, "/api/units/{unit}/functions", SignedIn),
            get(api::functions::list),
        ),
        (
            spec(Post, "/api/units/{unit}/functions", Roles(MONITORS)),
            post(api::functions::add),
        ),
        (
            spec(
                Post,
                "/api/units/{unit}/functions/{function}/end",
                Roles(MONITORS),
            ),
            post(api::functions::end),
        ),
        (
            spec(Get, "/api/search", SignedIn),
            get(api::register::search),
        ),
        (
            spec(Get, "/api/audit/{kind}/{object}", Roles(MONITORS)),
            get(api::register::audit),
        ),
        (
            spec(Get, "/api/staffing", Roles(READERS)),
            get(api::staffing::status),
        ),
        (
            spec(Get, "/api/staffing/targets", Roles(READERS)),
            get(api::staffing::targets),
        ),
        (
            spec(Post, "/api/staffing/targets", Roles(MONITORS)),
            post(api::staffing::add_target),
        ),
        (
            spec(Get, "/api/units/{unit}/staffing", SignedIn),
            get(api::staffing::ledger),
        ),
        (
            own(Post, "/api/units/{unit}/staffing", Roles(STAFFING_WRITERS)),
            post(api::staffing::record),
        ),
        (
            spec(Get, "/api/staffing/positions", Roles(READERS)),
            get(api::positions::province),
        ),
        (
            spec(Get, "/api/units/{unit}/positions", SignedIn),
            get(api::positions::list),
        ),
        (
            own(Post, "/api/units/{unit}/positions", Roles(STAFFING_WRITERS)),
            post(api::positions::add),
        ),
        (
            own(
                Post,
                "/api/units/{unit}/positions/{position}",
                Roles(STAFFING_WRITERS),
            ),
            post(api::positions::edit),
        ),
        (
            own(
                Post,
                "/api/units/{unit}/positions/{position}/remove",
                Roles(STAFFING_WRITERS),
            ),
            post(api::positions::remove),
        ),
    ]
}

/// The specs alone (for tests and documentation).
pub fn specs() -> Vec<RouteSpec> {
    table().into_iter().map(|(s, _)| s).collect()
}

async fn guard(access: Access, req: Request, next: Next) -> Response {
    let role = req
        .extensions()
        .get::<crate::auth::Viewer>()
        .and_then(|v| v.account())
        .map(|u| u.role);
    if access.admits(role) {
        return next.run(req).await;
    }
    let e = if role.is_none() {
        WebError::Unauthenticated
    } else {
        WebError::Forbidden
    };
    crate::auth::refuse(req.uri().path(), e)
}

/// Builds the router from the table, each route behind its guard and with its body limit
/// (the extractors read at most `limits` of the route's [`BodyClass`]).
pub fn build(limits: &crate::config::UploadLimits) -> Router<AppState> {
    table()
        .into_iter()
        .fold(Router::new(), |r, (spec, handler)| {
            let access = spec.access;
            let limit = axum::extract::DefaultBodyLimit::max(limits.of(spec.body));
            r.route(
                spec.path,
                handler
                    .route_layer(middleware::from_fn(move |req: Request, next: Next| {
                        guard(access, req, next)
                    }))
                    .layer(limit),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_path_and_method_is_registered_once() {
        let specs = specs();
        for (i, a) in specs.iter().enumerate() {
            for b in &specs[i + 1..] {
                assert!(
                    !(a.path == b.path && a.verb == b.verb),
                    "trùng tuyến {} {:?}",
                    a.path,
                    a.verb
                );
            }
        }
    }

    #[test]
    fn own_unit_routes_are_mutating_officer_routes() {
        for s in specs().iter().filter(|s| s.own_unit_only) {
            assert!(s.mutating(), "{}", s.path);
            assert!(s.access.admits(Some(Role::AgencyOfficer)), "{}", s.path);
        }
    }

    #[test]
    fn public_mutations_are_only_sign_in_and_out_and_the_first_run() {
        let public: Vec<_> = specs()
            .into_iter()
            .filter(|s| s.mutating() && s.access == Access::Public)
            .map(|s| s.path)
            .collect();
        assert_eq!(public, ["/login", "/logout", "/setup"]);
    }
}
