//! A list of checkboxes choosing some of a set (triggers, channels, carriers): one box per item,
//! its id `{prefix}-{code}`; ticking one adds its item to the chosen list, unticking removes it.

use leptos::prelude::*;

/// The boxes for `items` (each with its wire code and its name), choosing into `chosen`;
/// `changed` runs after every change.
pub fn check_list<T>(
    prefix: &'static str,
    items: impl IntoIterator<Item = (T, &'static str, &'static str)>,
    chosen: RwSignal<Vec<T>>,
    changed: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView
where
    T: Copy + PartialEq + Send + Sync + 'static,
{
    let boxes = items
        .into_iter()
        .map(|(item, code, name)| {
            let id = format!("{prefix}-{code}");
            view! {
                <li>
                    <input type="checkbox" id=id.clone() value=code
                        prop:checked=move || chosen.with(|c| c.contains(&item))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            chosen.update(|c| {
                                c.retain(|x| *x != item);
                                if on { c.push(item); }
                            });
                            changed();
                        } />
                    <label for=id>{name}</label>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="carriers">{boxes}</ul> }
}
