//! Macro calls and includes between templates, as a graph: a cycle (a macro that calls itself,
//! two templates that include each other) would recurse until the stack overflows, and Tera
//! has no limit of its own, so a cycle or a chain deeper than
//! [`crate::limits::MAX_TEMPLATE_DEPTH`] is refused before anything renders.

use std::collections::{BTreeMap, BTreeSet};

use tera::ast::{Expr, ExprVal, Node};

/// A template (`macro` empty) or one macro of it.
type Key = (String, String);

/// The first cycle or over-deep chain among `tera`'s templates: the chain of calls, outermost
/// first, and whether it is a cycle.
pub(super) fn first_unbounded(tera: &tera::Tera) -> Option<(Vec<Key>, bool)> {
    let mut graph: BTreeMap<Key, BTreeSet<Key>> = BTreeMap::new();
    for (name, template) in &tera.templates {
        let resolve = |namespace: &str, name_: &str| -> Option<Key> {
            if namespace == "self" {
                return Some((name.clone(), name_.to_owned()));
            }
            template
                .imported_macro_files
                .iter()
                .find(|(_, ns)| ns == namespace)
                .map(|(file, _)| (file.clone(), name_.to_owned()))
        };
        let mut calls = Calls::default();
        nodes(&template.ast, &mut calls);
        graph.insert((name.clone(), String::new()), calls.resolve(&resolve));
        for (macro_name, definition) in &template.macros {
            let mut calls = Calls::default();
            nodes(&definition.body, &mut calls);
            for default in definition.args.values().flatten() {
                expr(default, &mut calls);
            }
            graph.insert((name.clone(), macro_name.clone()), calls.resolve(&resolve));
        }
    }
    let mut depth: BTreeMap<Key, usize> = BTreeMap::new();
    let mut path: Vec<Key> = Vec::new();
    for key in graph.keys() {
        if let Err(found) = longest(key, &graph, &mut depth, &mut path) {
            return Some(found);
        }
    }
    None
}

/// The longest chain of calls from `key` (memoized in `depth`); `Err` with the chain when it
/// meets a cycle or grows past the limit.
fn longest(
    key: &Key,
    graph: &BTreeMap<Key, BTreeSet<Key>>,
    depth: &mut BTreeMap<Key, usize>,
    path: &mut Vec<Key>,
) -> Result<usize, (Vec<Key>, bool)> {
    if let Some(d) = depth.get(key) {
        return Ok(*d);
    }
    if let Some(start) = path.iter().position(|k| k == key) {
        let mut cycle = path[start..].to_vec();
        cycle.push(key.clone());
        return Err((cycle, true));
    }
    if path.len() >= crate::limits::MAX_TEMPLATE_DEPTH {
        return Err((path.clone(), false));
    }
    path.push(key.clone());
    let mut deepest = 0;
    if let Some(callees) = graph.get(key) {
        for callee in callees {
            deepest = deepest.max(longest(callee, graph, depth, path)? + 1);
        }
    }
    path.pop();
    depth.insert(key.clone(), deepest);
    Ok(deepest)
}

#[derive(Default)]
struct Calls {
    macros: Vec<(String, String)>,
    includes: Vec<String>,
}

impl Calls {
    fn resolve(self, resolve: &dyn Fn(&str, &str) -> Option<Key>) -> BTreeSet<Key> {
        let macros = self.macros.iter().filter_map(|(ns, n)| resolve(ns, n));
        let includes = self.includes.into_iter().map(|t| (t, String::new()));
        macros.chain(includes).collect()
    }
}

fn nodes(body: &[Node], calls: &mut Calls) {
    for node in body {
        match node {
            Node::VariableBlock(_, e) => expr(e, calls),
            Node::MacroDefinition(_, definition, _) => nodes(&definition.body, calls),
            Node::Include(_, names, _) => calls.includes.extend(names.iter().cloned()),
            Node::Set(_, set) => expr(&set.value, calls),
            Node::FilterSection(_, section, _) => {
                args(section.filter.args.values(), calls);
                nodes(&section.body, calls);
            }
            Node::Block(_, block, _) => nodes(&block.body, calls),
            Node::Forloop(_, forloop, _) => {
                expr(&forloop.container, calls);
                nodes(&forloop.body, calls);
                if let Some(empty) = &forloop.empty_body {
                    nodes(empty, calls);
                }
            }
            Node::If(branches, _) => {
                for (_, condition, body) in &branches.conditions {
                    expr(condition, calls);
                    nodes(body, calls);
                }
                if let Some((_, body)) = &branches.otherwise {
                    nodes(body, calls);
                }
            }
            _ => {}
        }
    }
}

fn args<'a>(exprs: impl Iterator<Item = &'a Expr>, calls: &mut Calls) {
    for e in exprs {
        expr(e, calls);
    }
}

fn expr(e: &Expr, calls: &mut Calls) {
    value(&e.val, calls);
    for filter in &e.filters {
        args(filter.args.values(), calls);
    }
}

fn value(v: &ExprVal, calls: &mut Calls) {
    match v {
        ExprVal::Math(m) => {
            expr(&m.lhs, calls);
            expr(&m.rhs, calls);
        }
        ExprVal::Logic(l) => {
            expr(&l.lhs, calls);
            expr(&l.rhs, calls);
        }
        ExprVal::In(i) => {
            expr(&i.lhs, calls);
            expr(&i.rhs, calls);
        }
        ExprVal::Test(t) => args(t.args.iter(), calls),
        ExprVal::MacroCall(call) => {
            calls
                .macros
                .push((call.namespace.clone(), call.name.clone()));
            args(call.args.values(), calls);
        }
        ExprVal::FunctionCall(call) => args(call.args.values(), calls),
        ExprVal::Array(items) => args(items.iter(), calls),
        ExprVal::StringConcat(concat) => {
            for v in &concat.values {
                value(v, calls);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tera(templates: &[(&str, &str)]) -> tera::Tera {
        let mut tera = tera::Tera::default();
        tera.add_raw_templates(templates.to_vec()).unwrap();
        tera
    }

    #[test]
    fn cycles_are_found_and_the_built_ins_have_none() {
        let builtins = tera(crate::render::BUILTIN);
        assert_eq!(first_unbounded(&builtins), None);
        let recursive = tera(&[(
            "m.md",
            "{% macro f(n) %}{{ self::f(n=n) }}{% endmacro f %}{{ self::f(n=1) }}",
        )]);
        let (chain, cycle) = first_unbounded(&recursive).unwrap();
        assert!(cycle);
        assert!(
            chain.contains(&("m.md".to_owned(), "f".to_owned())),
            "{chain:?}"
        );
        let mutual = tera(&[
            ("a.md", "{% include \"b.md\" %}"),
            ("b.md", "{% if x %}{% include \"a.md\" %}{% endif %}"),
        ]);
        assert!(first_unbounded(&mutual).unwrap().1);
        let imported = tera(&[
            (
                "m.md",
                "{% macro f() %}{% if 1 %}{{ self::g() | upper }}{% endif %}{% endmacro f %}{% macro g() %}{{ self::f() }}{% endmacro g %}",
            ),
            ("p.md", "{% import \"m.md\" as m %}{{ m::f() }}"),
        ]);
        assert!(first_unbounded(&imported).unwrap().1);
    }

    #[test]
    fn a_deep_chain_is_refused() {
        let mut text = String::new();
        for i in 0..40 {
            text.push_str(&format!(
                "{{% macro f{i}() %}}{{{{ self::f{}() }}}}{{% endmacro f{i} %}}",
                i + 1
            ));
        }
        text.push_str("{% macro f40() %}end{% endmacro f40 %}");
        let (chain, cycle) = first_unbounded(&tera(&[("m.md", &text)])).unwrap();
        assert!(!cycle);
        assert_eq!(chain.len(), crate::limits::MAX_TEMPLATE_DEPTH);
    }
}
