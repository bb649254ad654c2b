//! Agency mapping: each agency named in a draft's tasks stands for a register unit, is
//! ignored, or is left for later; decisions are per mention, for every unresolved mention of
//! a name, or for the name itself.

use chrono::Utc;
use tinhgon_domain::ids::PlanId;
use tinhgon_domain::localtime::local_date;
use tinhgon_domain::model::Id;
use tinhgon_domain::user::User;
use tinhgon_store::plans;
use tinhgon_store::web_queries as wq;
use tinhgon_store::Db;

use crate::error::{AppError, Result};

/// Which mentions a mapping decision covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MapScope<'a> {
    /// The one mention with this key (see [`tinhgon_domain::mention_key`]).
    One(&'a str),
    /// Every mention still unresolved with the given text: one decision each.
    AllUnresolved,
    /// The text itself: every mention with it, now and after later edits, unless a
    /// mention has its own decision.
    Text,
}

/// Maps agency mentions of a draft to a register unit (`unit_id` empty or `ignore`: ignore
/// them; `clear`: withdraw the decision). Returns how many decisions
/// were written. Refused (nothing changed) when the mention is no longer in the draft.
pub async fn map_mention(
    db: &Db,
    user: &User,
    id: PlanId,
    mention: &str,
    scope: MapScope<'_>,
    unit_id: &str,
) -> Result<usize> {
    let p = super::editable(db, user, id).await?;
    let mention = mention.trim().to_string();
    let clear = unit_id.trim() == "clear";
    // The keys the decision is written under.
    let keys: Vec<String> = match scope {
        MapScope::One(key) => {
            let known = p.rec.agency_map.contains_key(key)
                || plans::unresolved_agencies(db, id.get(), local_date(Utc::now()))
                    .await?
                    .iter()
                    .any(|u| u.unresolved.key == key);
            if !known {
                return Err(AppError::invalid(
                    "key",
                    "Không còn chỗ nhắc tới cơ quan này trong bản nháp (nhiệm vụ có thể vừa được sửa). Vui lòng tải lại trang rà soát.",
                ));
            }
            vec![key.to_string()]
        }
        MapScope::AllUnresolved => {
            if mention.is_empty() {
                return Err(AppError::invalid(
                    "mention",
                    "Thiếu tên cơ quan cần ánh xạ.",
                ));
            }
            let keys: Vec<String> =
                plans::unresolved_agencies(db, id.get(), local_date(Utc::now()))
                    .await?
                    .into_iter()
                    .filter(|u| u.unresolved.mention.text == mention)
                    .map(|u| u.unresolved.key)
                    .collect();
            if keys.is_empty() {
                return Err(AppError::invalid(
                    "mention",
                    format!("Không còn chỗ nào ghi \"{mention}\" chưa được ánh xạ."),
                ));
            }
            keys
        }
        MapScope::Text => {
            if mention.is_empty() {
                return Err(AppError::invalid(
                    "mention",
                    "Thiếu tên cơ quan cần ánh xạ.",
                ));
            }
            vec![mention.clone()]
        }
    };
    let mut map = p.rec.agency_map.clone();
    let before: serde_json::Map<String, serde_json::Value> = keys
        .iter()
        .map(|k| (k.clone(), serde_json::json!(map.get(k))))
        .collect();
    let (action, after) = if clear {
        if keys.iter().all(|k| !map.contains_key(k)) {
            return Err(AppError::invalid("unit_id", "Không có ánh xạ nào để bỏ."));
        }
        for k in &keys {
            map.remove(k);
        }
        let after = serde_json::json!({"mention": mention, "keys": keys});
        ("plan.draft.unmap", after)
    } else {
        let units: Vec<Id> = match unit_id.trim() {
            "" | "ignore" => Vec::new(),
            s => {
                let uid: Id = s
                    .parse()
                    .map_err(|_| AppError::invalid("unit_id", "Đơn vị không hợp lệ."))?;
                let names = wq::unit_names(db, p.rec.province_id).await?;
                if !names.contains_key(&uid) {
                    return Err(AppError::invalid(
                        "unit_id",
                        "Đơn vị không thuộc danh mục của tỉnh.",
                    ));
                }
                vec![uid]
            }
        };
        for k in &keys {
            map.insert(k.clone(), units.clone());
        }
        let after = serde_json::json!({"mention": mention, "keys": keys, "units": units});
        ("plan.draft.map", after)
    };
    let before = serde_json::Value::Object(before);
    let entry = super::draft_edit(user, &p, action, before, after);
    super::save(db, &p, &p.rec.draft, &map, &entry).await?;
    Ok(keys.len())
}
