//! Versions read leniently as MAJOR.MINOR.PATCH: `v1.2`, `1.2.0-rc1` and `2` all parse; what
//! follows the numbers is ignored, missing parts are 0.

/// A course version's numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    /// Breaking changes.
    pub major: u64,
    /// New or changed content, changed answer keys.
    pub minor: u64,
    /// Corrections.
    pub patch: u64,
}

impl Version {
    /// The numbers of `text`, or `None` when it does not start with one.
    pub fn parse(text: &str) -> Option<Version> {
        let text = text.trim();
        let text = text.strip_prefix(['v', 'V']).unwrap_or(text);
        let mut parts = text.splitn(3, '.').map(|part| {
            let digits: String = part.chars().take_while(char::is_ascii_digit).collect();
            digits.parse::<u64>().ok()
        });
        let major = parts.next().flatten()?;
        Some(Version {
            major,
            minor: parts.next().flatten().unwrap_or(0),
            patch: parts.next().flatten().unwrap_or(0),
        })
    }

    /// The smallest version that moves MINOR on from this one.
    pub fn next_minor(self) -> Version {
        Version {
            major: self.major,
            minor: self.minor + 1,
            patch: 0,
        }
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_leniently() {
        let v = |major, minor, patch| {
            Some(Version {
                major,
                minor,
                patch,
            })
        };
        assert_eq!(Version::parse("1.2.3"), v(1, 2, 3));
        assert_eq!(Version::parse("v2.1"), v(2, 1, 0));
        assert_eq!(Version::parse("3"), v(3, 0, 0));
        assert_eq!(Version::parse("1.4.0-rc1"), v(1, 4, 0));
        assert_eq!(Version::parse("draft"), None);
        assert!(Version::parse("1.10.0") > Version::parse("1.9.9"));
    }
}
