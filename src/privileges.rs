//! What needs root when a container starts, as data with the reason for
//! each entry: services that start as root and drop privileges themselves,
//! tools that need capabilities a plain user lacks, and the variables of
//! toolchain images that later builds write into. `non-root-user` gives no
//! `USER` line to an image that runs or is one of these.

/// Programs that need root at start, and why.
pub struct RootProgram {
    /// Names as a command starts them (without a directory).
    pub programs: &'static [&'static str],
    /// Packages (apt, apk, dnf, yum) whose install is evidence enough when
    /// the image starts a script this file cannot show (`/entrypoint.sh`).
    pub packages: &'static [&'static str],
    pub reason: &'static str,
}

const fn entry(
    programs: &'static [&'static str],
    packages: &'static [&'static str],
    reason: &'static str,
) -> RootProgram {
    RootProgram {
        programs,
        packages,
        reason,
    }
}

/// Services that start as root and drop privileges themselves, then tools
/// that need capabilities.
pub static ROOT_PROGRAMS: &[RootProgram] = &[
    entry(
        &["named"],
        &["bind9", "bind"],
        "named binds port 53 as root and switches to its own user itself (`-u`)",
    ),
    entry(
        &[
            "httpd",
            "apache2",
            "apachectl",
            "apache2ctl",
            "httpd-foreground",
            "apache2-foreground",
        ],
        &["apache2", "httpd", "apache2-bin"],
        "Apache httpd binds ports 80/443 as root and starts its workers as the User of its configuration",
    ),
    entry(
        &["nginx"],
        &[
            "nginx",
            "nginx-full",
            "nginx-light",
            "nginx-extras",
            "nginx-core",
        ],
        "nginx starts as root to bind its ports and write its pid and logs under /var, then runs its workers as the `user` of its configuration",
    ),
    entry(
        &["lighttpd"],
        &["lighttpd"],
        "lighttpd binds its ports as root and switches to the server.username of its configuration",
    ),
    entry(
        &["h2o"],
        &["h2o"],
        "h2o started as root binds its ports, then switches to the user of its configuration (nobody)",
    ),
    entry(
        &["php-fpm"],
        &[],
        "php-fpm's master process runs as root and starts its pool's workers as the pool's user (www-data)",
    ),
    entry(
        &["unitd"],
        &["unit"],
        "NGINX Unit's main process runs as root and starts its router and applications as the users of its configuration",
    ),
    entry(
        &["sshd"],
        &["openssh-server"],
        "sshd needs root to switch to the user who logs in",
    ),
    entry(
        &["postfix", "master"],
        &["postfix"],
        "Postfix's master process runs as root and starts its daemons as the user postfix",
    ),
    entry(
        &["dovecot"],
        &["dovecot", "dovecot-core"],
        "dovecot binds the mail ports as root and switches to the user who logs in",
    ),
    entry(
        &["squid"],
        &["squid", "squid3"],
        "squid starts as root and switches to its cache_effective_user itself",
    ),
    entry(
        &["haproxy"],
        &["haproxy"],
        "HAProxy binds its ports as root and switches to the user of its configuration itself",
    ),
    entry(
        &["vsftpd"],
        &["vsftpd"],
        "vsftpd binds port 21 as root and switches to the user who logs in",
    ),
    entry(
        &["cron", "crond"],
        &["cron", "cronie", "dcron"],
        "cron runs each user's jobs as that user: it needs root",
    ),
    entry(
        &["supervisord"],
        &["supervisor"],
        "supervisord starts its programs as the users of its configuration and writes its log, pid file and socket under /var",
    ),
    entry(
        &["init", "s6-svscan", "systemd"],
        &["s6", "s6-overlay"],
        "an init (s6-overlay's /init, systemd) sets the container up as root before it starts the services",
    ),
    entry(
        &["runsvdir", "runit", "my_init"],
        &["runit"],
        "runit starts each service as root, which drops privileges per service (chpst)",
    ),
    entry(
        &[
            "iptables",
            "ip6tables",
            "iptables-restore",
            "iptables-legacy",
            "iptables-nft",
            "nft",
        ],
        &["iptables", "nftables"],
        "it changes the network's filter tables with iptables/nftables: CAP_NET_ADMIN",
    ),
    entry(
        &["pptpd", "pptp"],
        &["pptpd", "pptp-linux", "pptpclient"],
        "PPTP creates ppp network interfaces and routes: CAP_NET_ADMIN and /dev/ppp",
    ),
    entry(
        &["openvpn"],
        &["openvpn"],
        "OpenVPN creates a tun device and sets routes: CAP_NET_ADMIN",
    ),
    entry(
        &["wg", "wg-quick", "wireguard-go", "boringtun"],
        &["wireguard-tools", "wireguard", "wireguard-go"],
        "WireGuard creates a network interface and sets routes: CAP_NET_ADMIN",
    ),
    entry(
        &["ipsec", "charon", "strongswan"],
        &["strongswan", "libreswan"],
        "IPsec sets keys and routes in the kernel: CAP_NET_ADMIN",
    ),
    entry(
        &["tincd"],
        &["tinc"],
        "tinc creates a tun device and sets routes: CAP_NET_ADMIN",
    ),
    entry(
        &["tcpdump", "tshark", "dumpcap"],
        &["tcpdump", "tshark"],
        "capturing packets needs raw sockets: CAP_NET_RAW",
    ),
    entry(
        &["ipfm"],
        &["ipfm"],
        "ipfm captures the traffic of an interface: raw sockets (CAP_NET_RAW)",
    ),
    entry(
        &["dnsmasq"],
        &["dnsmasq", "dnsmasq-base", "dnsmasq-dnssec"],
        "dnsmasq binds port 53 (and 67 for DHCP) as root and switches to its own user itself",
    ),
    entry(
        &["ping", "fping", "arping", "hping3", "nping"],
        &[],
        "ping-style tools send raw ICMP or ARP packets: CAP_NET_RAW",
    ),
];

/// The entry of a program a command starts (a version at the end of its
/// name aside: `php-fpm8.2`, `squid3`).
pub fn by_program(name: &str) -> Option<&'static RootProgram> {
    let unversioned = name.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    ROOT_PROGRAMS
        .iter()
        .find(|e| e.programs.contains(&name) || e.programs.contains(&unversioned))
}

/// The entry of an installed package.
pub fn by_package(name: &str) -> Option<&'static RootProgram> {
    ROOT_PROGRAMS.iter().find(|e| e.packages.contains(&name))
}

/// Variables that toolchain images set for the root-owned prefix where
/// their tools live and where the builds `FROM` them write (Rust, Go, Java
/// and its build tools, Ruby, Node and Python version managers, Android).
pub const TOOLCHAIN_VARIABLES: &[&str] = &[
    "CARGO_HOME",
    "RUSTUP_HOME",
    "GOPATH",
    "GOROOT",
    "JAVA_HOME",
    "MAVEN_HOME",
    "M2_HOME",
    "GRADLE_HOME",
    "GEM_HOME",
    "BUNDLE_APP_CONFIG",
    "NVM_DIR",
    "PYENV_ROOT",
    "RBENV_ROOT",
    "SDKMAN_DIR",
    "ANDROID_HOME",
    "ANDROID_SDK_ROOT",
    "DOTNET_ROOT",
];

/// Programs a toolchain image starts when it is run as it is: its own
/// tools and read-eval-print loops…
pub const TOOLCHAIN_TOOLS: &[&str] = &[
    "go", "cargo", "rustc", "rustup", "mvn", "gradle", "gem", "bundle", "irb", "jshell", "ghci",
    "iex", "erl",
];

/// …or a shell or an interpreter without a program to run.
pub const INTERACTIVE: &[&str] = &[
    "sh", "bash", "ash", "dash", "zsh", "python", "python3", "node", "ruby", "java", "dotnet",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_has_a_reason_and_names_are_unique() {
        let mut programs: Vec<&str> = ROOT_PROGRAMS
            .iter()
            .flat_map(|e| e.programs.iter().copied())
            .collect();
        let count = programs.len();
        programs.sort_unstable();
        programs.dedup();
        assert_eq!(programs.len(), count, "a program is in two entries");
        assert!(
            ROOT_PROGRAMS
                .iter()
                .all(|e| !e.reason.is_empty() && !e.programs.is_empty())
        );
        assert_eq!(by_program("nginx").map(|e| e.packages[0]), Some("nginx"));
        assert!(by_package("openssh-server").is_some_and(|e| e.reason.contains("sshd")));
        assert!(by_program("python").is_none());
        assert!(by_program("php-fpm8.2").is_some_and(|e| e.reason.contains("php-fpm")));
        assert!(by_program("squid3").is_some());
    }
}
