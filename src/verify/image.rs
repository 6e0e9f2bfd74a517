//! What verify knows of one built image: sizes, configuration, file
//! system, packages and accounts, read from its export.

use super::archive::{Config, Exported};
use super::filesystem::FileSystem;
use super::installed::{self, Package};

/// One image, read.
#[derive(Debug)]
pub struct Image {
    /// Sum of the uncompressed layers.
    pub size_bytes: u64,
    pub layers: usize,
    pub wasted_bytes: u64,
    pub config: Config,
    pub fs: FileSystem,
    pub packages: Vec<Package>,
    pub accounts: Accounts,
}

impl Image {
    pub fn from_export(exported: Exported) -> Self {
        let fs = FileSystem::stack(&exported.layers);
        let text = |path: &str| {
            fs.contents
                .get(path)
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .unwrap_or_default()
        };
        let accounts = Accounts::parse(&text("etc/passwd"), &text("etc/group"));
        Image {
            size_bytes: exported.layers.iter().map(|l| l.size).sum(),
            layers: exported.layers.len(),
            wasted_bytes: fs.wasted_bytes,
            packages: installed::packages(&fs),
            config: exported.config,
            accounts,
            fs,
        }
    }
}

/// A user account of `/etc/passwd`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub name: String,
    pub uid: u64,
    pub gid: u64,
    pub home: String,
}

/// `/etc/passwd` and `/etc/group`.
#[derive(Debug, Default, Clone)]
pub struct Accounts {
    pub users: Vec<Account>,
    /// Group name, gid, member names.
    pub groups: Vec<(String, u64, Vec<String>)>,
}

impl Accounts {
    pub fn parse(passwd: &str, group: &str) -> Self {
        let users = passwd
            .lines()
            .filter_map(|line| {
                let f: Vec<&str> = line.split(':').collect();
                Some(Account {
                    name: (*f.first()?).to_owned(),
                    uid: f.get(2)?.parse().ok()?,
                    gid: f.get(3)?.parse().ok()?,
                    home: (*f.get(5).unwrap_or(&"")).to_owned(),
                })
            })
            .collect();
        let groups = group
            .lines()
            .filter_map(|line| {
                let f: Vec<&str> = line.split(':').collect();
                let members = f
                    .get(3)
                    .map(|m| {
                        m.split(',')
                            .filter(|s| !s.is_empty())
                            .map(str::to_owned)
                            .collect()
                    })
                    .unwrap_or_default();
                Some(((*f.first()?).to_owned(), f.get(2)?.parse().ok()?, members))
            })
            .collect();
        Self { users, groups }
    }

    /// The process identity a `USER` value gives (`""` is root):
    /// `name`, `uid`, `name:group` or `uid:gid`, with the user's
    /// supplementary groups. An error names what the runtime would not find.
    pub fn identity(&self, user: &str) -> Result<Identity, String> {
        let (user_part, group_part) = match user.split_once(':') {
            Some((u, g)) => (u, Some(g)),
            None => (user, None),
        };
        let account = if user_part.is_empty() {
            self.users.iter().find(|a| a.uid == 0)
        } else {
            self.users.iter().find(|a| a.name == user_part).or_else(|| {
                let uid: u64 = user_part.parse().ok()?;
                self.users.iter().find(|a| a.uid == uid)
            })
        };
        let uid = match (account, user_part.parse::<u64>()) {
            (_, Ok(uid)) => uid,
            (Some(a), _) => a.uid,
            (None, _) if user_part.is_empty() => 0,
            (None, _) => return Err(format!("user `{user_part}` is not in /etc/passwd")),
        };
        let gid = match group_part {
            Some(g) => match g.parse::<u64>() {
                Ok(gid) => gid,
                Err(_) => self
                    .groups
                    .iter()
                    .find(|(name, ..)| name == g)
                    .map(|(_, gid, _)| *gid)
                    .ok_or_else(|| format!("group `{g}` is not in /etc/group"))?,
            },
            None => account.map_or(0, |a| a.gid),
        };
        let mut groups = vec![gid];
        if let Some(account) = account {
            for (_, id, members) in &self.groups {
                if members.contains(&account.name) && !groups.contains(id) {
                    groups.push(*id);
                }
            }
        }
        Ok(Identity {
            uid,
            groups,
            home: account.map(|a| a.home.clone()),
        })
    }
}

/// Who the container's process runs as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub uid: u64,
    /// The primary group first.
    pub groups: Vec<u64>,
    pub home: Option<String>,
}

impl Identity {
    /// May this identity do `access` (4 read, 2 write, 1 execute) to a node
    /// with this mode and owner? Root may do anything but execute a file
    /// without any execute bit.
    pub fn may(&self, mode: u32, uid: u64, gid: u64, access: u32) -> bool {
        if self.uid == 0 {
            return access & 1 == 0 || mode & 0o111 != 0;
        }
        let bits = if self.uid == uid {
            (mode >> 6) & 7
        } else if self.groups.contains(&gid) {
            (mode >> 3) & 7
        } else {
            mode & 7
        };
        bits & access == access
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PASSWD: &str = "root:x:0:0:root:/root:/bin/bash\napp:x:1001:1001::/home/app:/bin/sh\n";
    const GROUP: &str = "root:x:0:\napp:x:1001:\nstaff:x:50:app\n";

    #[test]
    fn identities() {
        let accounts = Accounts::parse(PASSWD, GROUP);
        let root = accounts.identity("").unwrap();
        assert_eq!((root.uid, root.groups.clone()), (0, vec![0]));
        let app = accounts.identity("app").unwrap();
        assert_eq!((app.uid, app.groups.clone()), (1001, vec![1001, 50]));
        assert_eq!(accounts.identity("1001:1001").unwrap().uid, 1001);
        assert_eq!(accounts.identity("4242").unwrap().groups, [0]);
        assert_eq!(accounts.identity("app:staff").unwrap().groups, [50]);
        assert!(accounts.identity("nobody").is_err());
        assert!(accounts.identity("app:nogroup").is_err());
    }

    #[test]
    fn permissions() {
        let app = Identity {
            uid: 1001,
            groups: vec![1001],
            home: None,
        };
        assert!(!app.may(0o755, 0, 0, 2));
        assert!(app.may(0o755, 1001, 1001, 2));
        assert!(app.may(0o775, 0, 1001, 2));
        assert!(app.may(0o777, 0, 0, 2));
        assert!(app.may(0o755, 0, 0, 1));
        assert!(!app.may(0o700, 0, 0, 1));
        let root = Identity {
            uid: 0,
            groups: vec![0],
            home: None,
        };
        assert!(root.may(0o000, 5, 5, 2));
        assert!(!root.may(0o644, 0, 0, 1));
    }
}
