//! The widget's words. English is built in; another language's come from the JSON list the loader
//! fetches before mounting (`assets/words-<lang>.<hash>.json`, written by `cargo xtask` from the
//! shared labels), so the download carries the words of one language only, and a page in another
//! language never shows English first.

use std::cell::RefCell;

use waypost_shared::labels::{DatePart, Lang, UiText};
use waypost_shared::wire::compact;

thread_local! {
    /// The languages whose words were read, each kept for the page's lifetime.
    static LOADED: RefCell<Vec<(Lang, &'static [String])>> = const { RefCell::new(Vec::new()) };
}

/// Reads `lang`'s words from `json` (a [`Lang::widget_words`] list) unless already read. Anything
/// else (empty, unreadable, the wrong length) leaves that language in English.
pub fn load(lang: Lang, json: &str) {
    if lang == Lang::En || words(lang).is_some() {
        return;
    }
    let Some(list) = compact::from_json::<Vec<String>>(json) else {
        return;
    };
    if list.len() == UiText::ALL.len() + DatePart::ALL.len() {
        let list: &'static [String] = Vec::leak(list);
        LOADED.with_borrow_mut(|loaded| loaded.push((lang, list)));
    }
}

fn words(lang: Lang) -> Option<&'static [String]> {
    LOADED.with_borrow(|loaded| {
        loaded
            .iter()
            .find(|(read, _)| *read == lang)
            .map(|(_, list)| *list)
    })
}

/// One of the widget's own words in `lang` (English until that language's words are loaded).
pub fn ui(lang: Lang, key: UiText) -> &'static str {
    let at = UiText::ALL.iter().position(|ui| *ui == key);
    words(lang)
        .zip(at)
        .and_then(|(list, at)| list.get(at))
        .map_or_else(|| Lang::En.ui(key), String::as_str)
}

/// A date word or pattern in `lang` (English until that language's words are loaded).
pub fn date(lang: Lang, part: DatePart) -> &'static str {
    let at = DatePart::ALL.iter().position(|p| *p == part);
    words(lang)
        .zip(at)
        .and_then(|(list, at)| list.get(UiText::ALL.len() + at))
        .map_or_else(|| Lang::En.date(part), String::as_str)
}
