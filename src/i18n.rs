//! Messages in English and Japanese.
//!
//! The people who read shiryo's messages are municipal staff, so every user-facing
//! text (errors, hints, warnings, progress lines, `--help`) exists in both languages.
//! A message is a [`Text`] holding both, made with [`tr!`](crate::tr):
//!
//! ```
//! use shiryo::i18n::{Lang, Text};
//! let town = "旭川";
//! let message: Text = shiryo::tr!("{town} is not a member town", "{town} は構成市町村ではありません");
//! assert_eq!(message.get(Lang::En), "旭川 is not a member town");
//! assert_eq!(message.get(Lang::Ja), "旭川 は構成市町村ではありません");
//! ```
//!
//! The language is chosen once per process by the binary ([`Lang::detect`]: `--lang`,
//! else the locale) and stored with [`set_lang`]; `Display` of the library's errors
//! prints in that language. Code that must not depend on process state (tests) asks a
//! [`Text`] or an [`Error`](crate::Error) for a given language explicitly.
//! Positions (`file:line:column`) are printed identically in both languages.

use std::fmt;
use std::sync::atomic::{AtomicU8, Ordering};

/// The language of messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Ja,
}

impl Lang {
    /// `ja…` is Japanese, anything else English (`C`, `POSIX`, `en_US.UTF-8`, unset).
    pub fn from_locale(value: &str) -> Lang {
        if value.to_ascii_lowercase().starts_with("ja") {
            Lang::Ja
        } else {
            Lang::En
        }
    }

    /// `--lang ja` / `--lang=ja` (or `en`) among `args` wins; otherwise the first set
    /// and non-empty of `LC_ALL`, `LC_MESSAGES`, `LANG` (POSIX precedence) decides.
    /// `env` looks a variable up, so tests need not change the process environment.
    pub fn detect<S: AsRef<str>>(args: &[S], env: impl Fn(&str) -> Option<String>) -> Lang {
        let mut args = args.iter().map(AsRef::as_ref);
        while let Some(arg) = args.next() {
            if arg == "--" {
                break;
            }
            let value = match arg.strip_prefix("--lang") {
                Some("") => args.next(),
                Some(rest) => rest.strip_prefix('='),
                None => None,
            };
            // A value clap will refuse (`--lang xx`) leaves the choice to the locale,
            // so that the refusal is in the locale's language.
            if let Some(v) = value.filter(|v| matches!(*v, "en" | "ja")) {
                return Lang::from_locale(v);
            }
        }
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|name| env(name))
            .find(|v| !v.is_empty())
            .map_or(Lang::En, |v| Lang::from_locale(&v))
    }
}

static CURRENT: AtomicU8 = AtomicU8::new(0);

/// Sets the language `Display` of errors uses in this process (the binary does, once).
pub fn set_lang(lang: Lang) {
    CURRENT.store(lang as u8, Ordering::Relaxed);
}

/// The language set by [`set_lang`]; English until then.
pub fn lang() -> Lang {
    match CURRENT.load(Ordering::Relaxed) {
        1 => Lang::Ja,
        _ => Lang::En,
    }
}

/// One message in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Text {
    pub en: String,
    pub ja: String,
}

impl Text {
    pub fn new(en: impl Into<String>, ja: impl Into<String>) -> Text {
        Text {
            en: en.into(),
            ja: ja.into(),
        }
    }

    /// Text that reads the same in both languages: a name, a path, a number.
    pub fn same(text: impl Into<String>) -> Text {
        let text = text.into();
        Text {
            ja: text.clone(),
            en: text,
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Ja => &self.ja,
        }
    }

    /// Appends `more` to both languages.
    pub fn push(&mut self, more: &Text) {
        self.en += &more.en;
        self.ja += &more.ja;
    }
}

/// In the process's language ([`lang`]).
impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.get(lang()))
    }
}

/// A [`Text`] from an English and a Japanese format string, each with `format!`'s
/// syntax and the same arguments in scope.
#[macro_export]
macro_rules! tr {
    ($en:literal, $ja:literal $(,)?) => {
        $crate::i18n::Text {
            en: format!($en),
            ja: format!($ja),
        }
    };
    ($en:literal, $ja:literal, $($arg:tt)+) => {
        $crate::i18n::Text {
            en: format!($en, $($arg)+),
            ja: format!($ja, $($arg)+),
        }
    };
}

/// A list as each language writes it: `a, b, c` and `a、b、c`.
pub fn list<S: AsRef<str>>(items: &[S]) -> Text {
    let items: Vec<&str> = items.iter().map(AsRef::as_ref).collect();
    Text::new(items.join(", "), items.join("、"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn the_locale_chooses_japanese() {
        let none: [&str; 0] = [];
        assert_eq!(Lang::detect(&none, env(&[])), Lang::En);
        assert_eq!(Lang::detect(&none, env(&[("LANG", "C.UTF-8")])), Lang::En);
        assert_eq!(
            Lang::detect(&none, env(&[("LANG", "ja_JP.UTF-8")])),
            Lang::Ja
        );
        assert_eq!(Lang::detect(&none, env(&[("LC_MESSAGES", "ja")])), Lang::Ja);
        // LC_ALL overrides the others; an empty variable counts as unset.
        let vars = [("LC_ALL", "en_US.UTF-8"), ("LANG", "ja_JP.UTF-8")];
        assert_eq!(Lang::detect(&none, env(&vars)), Lang::En);
        let vars = [("LC_ALL", ""), ("LC_MESSAGES", "ja_JP.eucJP")];
        assert_eq!(Lang::detect(&none, env(&vars)), Lang::Ja);
    }

    #[test]
    fn the_lang_option_overrides_the_locale() {
        let ja = env(&[("LANG", "ja_JP.UTF-8")]);
        assert_eq!(Lang::detect(&["check", "--lang", "en"], &ja), Lang::En);
        assert_eq!(Lang::detect(&["--lang=en", "check"], &ja), Lang::En);
        assert_eq!(Lang::detect(&["check", "--lang", "ja"], env(&[])), Lang::Ja);
        // A value that is not a language is refused by clap, in the locale's language.
        assert_eq!(Lang::detect(&["--lang", "xx", "check"], &ja), Lang::Ja);
        assert_eq!(Lang::detect(&["--lang=fr"], env(&[])), Lang::En);
        // After `--` it is a file name, not an option.
        assert_eq!(
            Lang::detect(&["check", "--", "--lang=ja"], env(&[])),
            Lang::En
        );
    }

    #[test]
    fn tr_formats_both_languages_with_the_same_arguments() {
        let n = 3;
        let t = tr!("{n} problems in {}", "{}に {n} 件の問題", "r.yaml");
        assert_eq!(t.en, "3 problems in r.yaml");
        assert_eq!(t.ja, "r.yamlに 3 件の問題");
        assert_eq!(list(&["a", "b"]).get(Lang::Ja), "a、b");
    }
}
