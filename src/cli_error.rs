//! clap's own errors (an unknown option, a missing argument, a value not allowed) in
//! Japanese: clap writes them in English only, so a Japanese screen gets them rebuilt
//! here from the error's kind and context (the same facts clap's English gives: the
//! argument, the value, the values allowed, a suggestion, the usage).

use clap::error::{ContextKind, ContextValue, ErrorKind};
use shiryo::i18n::Lang;

/// Prints `error` in `lang` and exits as clap does (status 2 for a usage error, 0 for
/// `--help` and `--version`).
pub fn exit(error: clap::Error, lang: Lang) -> ! {
    let text = match lang {
        Lang::Ja => japanese(&error),
        Lang::En => None,
    };
    match text {
        Some(text) => {
            eprint!("{text}");
            std::process::exit(error.exit_code())
        }
        None => error.exit(),
    }
}

/// The Japanese text of `error`; `None` for what is not an error (help, version) or
/// already in the language (help shown for a missing command).
pub fn japanese(error: &clap::Error) -> Option<String> {
    let get = |kind| error.get(kind).map(value_text);
    let arg = get(ContextKind::InvalidArg).map(|a| placeholders(&a));
    let value = get(ContextKind::InvalidValue);
    let mut out = String::from("エラー: ");
    match error.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
        | ErrorKind::DisplayVersion => return None,
        ErrorKind::UnknownArgument => {
            let arg = arg?;
            if arg.starts_with('-') {
                out += &format!("オプション '{arg}' はこのコマンドにありません");
                // clap's tip for an option-like value, when it has no better one.
                if error.get(ContextKind::Suggested).is_some()
                    && error.get(ContextKind::SuggestedArg).is_none()
                {
                    out += &format!(
                        "\n\n  ヒント: '{arg}' を値として渡すには '-- {arg}' と書いてください"
                    );
                }
            } else {
                out += &format!("余分な引数 '{arg}' があります");
            }
        }
        ErrorKind::InvalidSubcommand => {
            let sub = get(ContextKind::InvalidSubcommand)?;
            out += &format!("コマンド '{sub}' はありません");
        }
        ErrorKind::InvalidValue => {
            let arg = arg?;
            match value.as_deref() {
                None | Some("") => out += &format!("'{arg}' に値がありません"),
                Some(v) => out += &format!("値 '{v}' は '{arg}' に使えません"),
            }
            let valid = error.get(ContextKind::ValidValue).map(list);
            if let Some(valid) = valid.filter(|v| !v.is_empty()) {
                out += &format!("\n  [使える値: {valid}]");
            }
        }
        ErrorKind::ValueValidation => {
            let (arg, value) = (arg?, value.unwrap_or_default());
            out += &format!("値 '{value}' は '{arg}' に使えません");
        }
        ErrorKind::MissingRequiredArgument => {
            out += "必要な引数が指定されていません:";
            for a in error.get(ContextKind::InvalidArg).map(strings)? {
                out += &format!("\n  {}", placeholders(&a));
            }
        }
        ErrorKind::MissingSubcommand => {
            out += "コマンドを指定してください";
            if let Some(valid) = error.get(ContextKind::ValidSubcommand) {
                out += &format!("\n  [コマンド: {}]", list(valid));
            }
        }
        ErrorKind::ArgumentConflict => {
            let prior = get(ContextKind::PriorArg).map(|a| placeholders(&a));
            match prior {
                Some(p) => out += &format!("'{}' と '{p}' は一緒に使えません", arg?),
                None => out += &format!("'{}' はほかの引数と一緒に使えません", arg?),
            }
        }
        ErrorKind::NoEquals => {
            let arg = arg?;
            out += &format!("'{arg}' の値は = でつないで書いてください（{arg}=値）");
        }
        ErrorKind::TooManyValues => {
            let (arg, value) = (arg?, value.unwrap_or_default());
            out += &format!("値 '{value}' は余分です（'{arg}' の値はこれ以上いりません）");
        }
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            let actual = get(ContextKind::ActualNumValues).unwrap_or_default();
            let want = get(ContextKind::MinValues)
                .or_else(|| get(ContextKind::ExpectedNumValues))
                .unwrap_or_default();
            out += &format!("'{}' の値が {actual} 個です（{want} 個必要です）", arg?);
        }
        ErrorKind::InvalidUtf8 => out += "引数に UTF-8 でない文字があります",
        _ => return None,
    }
    let option = |s: &ContextValue| list(s).starts_with('-');
    for (kind, what) in [
        (ContextKind::SuggestedArg, "似た引数があります"),
        (ContextKind::SuggestedSubcommand, "似たコマンドがあります"),
        (ContextKind::SuggestedValue, "似た値があります"),
    ] {
        if let Some(s) = error.get(kind) {
            let what = if option(s) {
                what.replace("引数", "オプション")
            } else {
                what.to_string()
            };
            out += &format!("\n\n  ヒント: {what}: '{}'", list(s));
        }
    }
    if let Some(usage) = get(ContextKind::Usage) {
        let usage = usage.trim();
        let usage = usage.strip_prefix("Usage:").unwrap_or(usage).trim();
        out += &format!("\n\n使い方: {usage}");
    }
    out += "\n\n詳しくは '--help' を見てください。\n";
    Some(out)
}

fn value_text(value: &ContextValue) -> String {
    match value {
        ContextValue::String(s) => s.clone(),
        ContextValue::StyledStr(s) => s.to_string(),
        other => other.to_string(),
    }
}

fn strings(value: &ContextValue) -> Vec<String> {
    match value {
        ContextValue::Strings(v) => v.clone(),
        ContextValue::StyledStrs(v) => v.iter().map(ToString::to_string).collect(),
        other => vec![value_text(other)],
    }
}

fn list(value: &ContextValue) -> String {
    strings(value).join(", ")
}

/// The English value names of the arguments, as the Japanese help calls them.
fn placeholders(text: &str) -> String {
    [
        ("REGISTRY.yaml", "台帳.yaml"),
        ("REGISTRY", "台帳"),
        ("ANSWERS", "回答"),
        ("WORKBOOK", "ワークブック"),
        ("OLD", "旧台帳"),
        ("NEW", "新台帳"),
    ]
    .iter()
    .fold(text.to_string(), |t, (en, ja)| {
        t.replace(&format!("<{en}>"), &format!("<{ja}>"))
            .replace(&format!("[{en}]"), &format!("[{ja}]"))
    })
}
