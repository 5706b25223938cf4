//! The demo data set: the real network of 18 integration centres in all 14
//! regions with their operators (see docs/domain.md), and fixed demo sign-ins.
//! Seeded only in dev mode or by `integra seed --demo`. Idempotent.

use integra_kernel::{AppResult, CentreId, PlatformDb, Role, RoleSet, SharedClock, UserId};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use crate::auth::normalise_email;
use crate::entity::{branch, centre, membership, user};
use crate::funding::{EligibilityRule, FundingSource, NewFundingProject};
use crate::password;
use chrono::NaiveDate;

/// The funding projects of a demo centre: a current AMIF project for every
/// centre (registration numbers in the style of the real calls), the centre's
/// own money for people AMIF does not cover and for the years before (since
/// 2015, so that the synthetic set's ten years all fall in a project), and
/// Ústí's past AMIF/31/03.
fn demo_projects(slug: &str, index: usize) -> Vec<NewFundingProject> {
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
    let mut out = vec![
        NewFundingProject {
            registration_number: format!("AMIF/52/{:02}", index + 1),
            name: "Integrace cizinců v regionu 2025–2027".into(),
            source: FundingSource::Amif,
            eligibility_rule: EligibilityRule::AmifDefault,
            starts_on: date(2025, 1, 1),
            ends_on: date(2027, 12, 31),
            contact_threshold_minutes: None,
        },
        NewFundingProject {
            registration_number: "VLASTNI".into(),
            name: "Vlastní zdroje (služby mimo AMIF)".into(),
            source: FundingSource::Other,
            eligibility_rule: EligibilityRule::Open,
            starts_on: date(2015, 1, 1),
            ends_on: date(2035, 12, 31),
            contact_threshold_minutes: None,
        },
    ];
    if slug == "usti" {
        out.push(NewFundingProject {
            registration_number: "AMIF/31/03".into(),
            name: "Integrace cizinců v Ústeckém kraji".into(),
            source: FundingSource::Amif,
            eligibility_rule: EligibilityRule::AmifDefault,
            starts_on: date(2022, 8, 1),
            ends_on: date(2023, 7, 31),
            contact_threshold_minutes: None,
        });
    }
    out
}

/// Password of every demo account.
pub const DEMO_PASSWORD: &str = "integra-demo";

/// A demo sign-in.
#[derive(Clone, Copy, Debug)]
pub struct DemoLogin {
    /// Email.
    pub email: &'static str,
    /// Display name.
    pub name: &'static str,
    /// Role held.
    pub role: Role,
    /// Slug of the centre, for centre roles.
    pub centre: Option<&'static str>,
}

/// The fixed demo sign-ins.
pub const DEMO_LOGINS: [DemoLogin; 5] = [
    DemoLogin {
        email: "admin.usti@example.org",
        name: "Alena Admin",
        role: Role::CentreAdmin,
        centre: Some("usti"),
    },
    DemoLogin {
        email: "counsellor.usti@example.org",
        name: "Petr Poradce",
        role: Role::Counsellor,
        centre: Some("usti"),
    },
    DemoLogin {
        email: "lecturer.usti@example.org",
        name: "Lenka Lektorka",
        role: Role::Lecturer,
        centre: Some("usti"),
    },
    DemoLogin {
        email: "admin.praha@example.org",
        name: "Pavel Admin",
        role: Role::CentreAdmin,
        centre: Some("praha"),
    },
    DemoLogin {
        email: "ministry@example.org",
        name: "Marie Ministerská",
        role: Role::MinistryOfficer,
        centre: None,
    },
];

const SUZ: &str = "Správa uprchlických zařízení Ministerstva vnitra";

/// A centre of the demo network: slug, name, operator, NUTS3, seat, branches.
struct DemoCentre {
    slug: &'static str,
    name: &'static str,
    operator: &'static str,
    region: &'static str,
    seat: &'static str,
    branches: &'static [&'static str],
}

const CENTRES: [DemoCentre; 18] = [
    DemoCentre {
        slug: "praha",
        name: "Integrační centrum Praha",
        operator: "Integrační centrum Praha, o.p.s.",
        region: "CZ010",
        seat: "Praha",
        branches: &["Praha"],
    },
    DemoCentre {
        slug: "benesov",
        name: "Centrum na podporu integrace cizinců Benešov",
        operator: SUZ,
        region: "CZ020",
        seat: "Benešov",
        branches: &["Benešov"],
    },
    DemoCentre {
        slug: "kladno",
        name: "Centrum na podporu integrace cizinců Kladno",
        operator: SUZ,
        region: "CZ020",
        seat: "Kladno",
        branches: &["Kladno"],
    },
    DemoCentre {
        slug: "kutna-hora",
        name: "Centrum na podporu integrace cizinců Kutná Hora",
        operator: SUZ,
        region: "CZ020",
        seat: "Kutná Hora",
        branches: &["Kutná Hora"],
    },
    DemoCentre {
        slug: "mlada-boleslav",
        name: "Centrum na podporu integrace cizinců Mladá Boleslav",
        operator: SUZ,
        region: "CZ020",
        seat: "Mladá Boleslav",
        branches: &["Mladá Boleslav"],
    },
    DemoCentre {
        slug: "pribram",
        name: "Centrum na podporu integrace cizinců Příbram",
        operator: SUZ,
        region: "CZ020",
        seat: "Příbram",
        branches: &["Příbram"],
    },
    DemoCentre {
        slug: "ceske-budejovice",
        name: "Centrum na podporu integrace cizinců pro Jihočeský kraj",
        operator: SUZ,
        region: "CZ031",
        seat: "České Budějovice",
        branches: &["České Budějovice"],
    },
    DemoCentre {
        slug: "plzen",
        name: "Centrum na podporu integrace cizinců pro Plzeňský kraj",
        operator: SUZ,
        region: "CZ032",
        seat: "Plzeň",
        branches: &["Plzeň"],
    },
    DemoCentre {
        slug: "karlovy-vary",
        name: "Centrum na podporu integrace cizinců pro Karlovarský kraj",
        operator: SUZ,
        region: "CZ041",
        seat: "Karlovy Vary",
        branches: &["Karlovy Vary"],
    },
    DemoCentre {
        slug: "usti",
        name: "Centrum na podporu integrace cizinců pro Ústecký kraj",
        operator: "Poradna pro integraci, z.ú.",
        region: "CZ042",
        seat: "Ústí nad Labem",
        branches: &["Ústí nad Labem", "Chomutov"],
    },
    DemoCentre {
        slug: "liberec",
        name: "Centrum na podporu integrace cizinců pro Liberecký kraj",
        operator: SUZ,
        region: "CZ051",
        seat: "Liberec",
        branches: &["Liberec"],
    },
    DemoCentre {
        slug: "hradec-kralove",
        name: "Centrum na podporu integrace cizinců pro Královéhradecký kraj",
        operator: "Diecézní charita Hradec Králové",
        region: "CZ052",
        seat: "Hradec Králové",
        branches: &["Hradec Králové"],
    },
    DemoCentre {
        slug: "pardubice",
        name: "Centrum na podporu integrace cizinců pro Pardubický kraj",
        operator: SUZ,
        region: "CZ053",
        seat: "Pardubice",
        branches: &["Pardubice"],
    },
    DemoCentre {
        slug: "jihlava",
        name: "Centrum na podporu integrace cizinců pro Kraj Vysočina",
        operator: SUZ,
        region: "CZ063",
        seat: "Jihlava",
        branches: &["Jihlava"],
    },
    DemoCentre {
        slug: "brno",
        name: "Centrum pro cizince Jihomoravského kraje",
        operator: "Jihomoravský kraj",
        region: "CZ064",
        seat: "Brno",
        branches: &["Brno"],
    },
    DemoCentre {
        slug: "olomouc",
        name: "Centrum na podporu integrace cizinců pro Olomoucký kraj",
        operator: SUZ,
        region: "CZ071",
        seat: "Olomouc",
        branches: &["Olomouc"],
    },
    DemoCentre {
        slug: "zlin",
        name: "Centrum na podporu integrace cizinců pro Zlínský kraj",
        operator: SUZ,
        region: "CZ072",
        seat: "Zlín",
        branches: &["Zlín"],
    },
    DemoCentre {
        slug: "ostrava",
        name: "Centrum na podporu integrace cizinců pro Moravskoslezský kraj",
        operator: SUZ,
        region: "CZ080",
        seat: "Ostrava",
        branches: &["Ostrava"],
    },
];

/// What a seed run created.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SeedReport {
    /// Centres created (0 when they existed).
    pub centres: usize,
    /// Users created.
    pub users: usize,
}

/// Whether any centre exists (the database has been seeded or used).
pub async fn has_centres(db: &PlatformDb) -> AppResult<bool> {
    Ok(centre::Entity::find().one(db.connection()).await?.is_some())
}

/// Seeds the demo network and sign-ins; safe to run again.
pub async fn demo(db: &PlatformDb, clock: &SharedClock) -> AppResult<SeedReport> {
    let mut report = SeedReport::default();
    let now = clock.now();
    let conn = db.connection();
    for (index, c) in CENTRES.iter().enumerate() {
        if centre::Entity::find()
            .filter(centre::Column::Slug.eq(c.slug))
            .one(conn)
            .await?
            .is_some()
        {
            continue;
        }
        // The centre and its branches land together or not at all: a rerun
        // skips existing slugs, so a half-seeded centre would stay so.
        let id = CentreId::new();
        let txn = db.unscoped_for_centre(id).await?;
        centre::ActiveModel {
            id: Set(id.uuid()),
            slug: Set(c.slug.to_owned()),
            name: Set(c.name.to_owned()),
            operator: Set(c.operator.to_owned()),
            region_code: Set(c.region.to_owned()),
            seat: Set(c.seat.to_owned()),
            created_at: Set(now),
        }
        .insert(&txn)
        .await?;
        for b in c.branches {
            branch::ActiveModel {
                id: Set(integra_kernel::BranchId::new().uuid()),
                tenant_id: Set(id.uuid()),
                name: Set((*b).to_owned()),
                municipality: Set((*b).to_owned()),
                address: Set(String::new()),
                created_at: Set(now),
            }
            .insert(&txn)
            .await?;
        }
        for p in demo_projects(c.slug, index) {
            crate::funding::insert_seed(&txn, &p, now).await?;
        }
        txn.commit().await?;
        report.centres += 1;
    }
    for login in DEMO_LOGINS {
        let centre = match login.centre {
            Some(slug) => {
                centre::Entity::find()
                    .filter(centre::Column::Slug.eq(slug))
                    .one(conn)
                    .await?
            }
            None => None,
        };
        let roles: RoleSet = [login.role].into_iter().collect();
        let created = ensure_user(
            db,
            clock,
            login.email,
            login.name,
            DEMO_PASSWORD,
            centre.map(|c| (CentreId::from(c.id), roles)),
            if login.role.is_centre_role() {
                RoleSet::EMPTY
            } else {
                roles
            },
        )
        .await?;
        if created {
            report.users += 1;
        }
    }
    Ok(report)
}

/// Creates a user (if the email is new) with a password, a membership in
/// `centre` with the given roles, and platform roles. Returns whether the
/// user was created. Platform-operator path: not reachable from a centre.
pub async fn ensure_user(
    db: &PlatformDb,
    clock: &SharedClock,
    email: &str,
    display_name: &str,
    password: &str,
    centre: Option<(CentreId, RoleSet)>,
    platform_roles: RoleSet,
) -> AppResult<bool> {
    let mut hash = None;
    let (_, created) = ensure_one(
        db,
        clock,
        (email, display_name),
        (password, &mut hash),
        centre,
        platform_roles,
    )
    .await?;
    Ok(created)
}

/// [`ensure_user`] for many users (email, display name) with one password,
/// hashed once (hashing is slow by design); answers their ids in order.
pub async fn ensure_users(
    db: &PlatformDb,
    clock: &SharedClock,
    users: &[(String, String)],
    password: &str,
    centre: Option<(CentreId, RoleSet)>,
    platform_roles: RoleSet,
) -> AppResult<Vec<UserId>> {
    let mut hash = None;
    let mut ids = Vec::with_capacity(users.len());
    for (email, name) in users {
        let (id, _) = ensure_one(
            db,
            clock,
            (email, name),
            (password, &mut hash),
            centre,
            platform_roles,
        )
        .await?;
        ids.push(id);
    }
    Ok(ids)
}

/// One user of [`ensure_user`]; `hash` is the password's hash once made.
async fn ensure_one(
    db: &PlatformDb,
    clock: &SharedClock,
    (email, display_name): (&str, &str),
    (password, hash): (&str, &mut Option<String>),
    centre: Option<(CentreId, RoleSet)>,
    platform_roles: RoleSet,
) -> AppResult<(UserId, bool)> {
    let email = normalise_email(email);
    let conn = db.connection();
    let now = clock.now();
    let existing = user::Entity::find()
        .filter(user::Column::Email.eq(email.as_str()))
        .one(conn)
        .await?;
    let (user_id, created) = match existing {
        Some(u) => (UserId(u.id), false),
        None => {
            let password_hash = match hash {
                Some(h) => h.clone(),
                None => hash
                    .insert(password::hash(password.to_owned()).await?)
                    .clone(),
            };
            let id = UserId::new();
            user::ActiveModel {
                id: Set(id.uuid()),
                email: Set(email.clone()),
                display_name: Set(display_name.to_owned()),
                password_hash: Set(Some(password_hash)),
                platform_roles: Set(platform_roles.to_stored()),
                created_at: Set(now),
                disabled_at: Set(None),
                language: Set("cs".to_owned()),
            }
            .insert(conn)
            .await?;
            (id, true)
        }
    };
    if let Some((centre, roles)) = centre {
        let txn = db.unscoped_for_centre(centre).await?;
        let has = txn
            .find::<membership::Entity>()
            .filter(membership::Column::UserId.eq(user_id.uuid()))
            .one(&txn)
            .await?
            .is_some();
        if !has {
            membership::ActiveModel {
                id: Set(uuid::Uuid::now_v7()),
                tenant_id: Set(centre.uuid()),
                user_id: Set(user_id.uuid()),
                roles: Set(roles.to_stored()),
                created_at: Set(now),
            }
            .insert(&txn)
            .await?;
        }
        txn.commit().await?;
    }
    Ok((user_id, created))
}

/// Looks a centre id up by slug (platform path, used by seeds and tests).
pub async fn unscoped_centre_id_by_slug(
    db: &PlatformDb,
    slug: &str,
) -> AppResult<Option<CentreId>> {
    Ok(centre::Entity::find()
        .filter(centre::Column::Slug.eq(slug))
        .one(db.connection())
        .await?
        .map(|c| CentreId::from(c.id)))
}
