//! The cost of a GraphQL operation, computed from its parsed document before anything runs
//! (issue 15: depth and token limits do not bound the work of aliases, pages and nested
//! lists). The rules, also in docs/ARCHITECTURE.md:
//!
//! - every selected field costs 1; a root field of `Query` costs [`ROOT_QUERY_FIELD`] (it
//!   runs a use case), a root field of `Mutation` [`MUTATION_FIELD`] (a transaction, maybe a
//!   password hash or a PDF);
//! - a field's sub-selection is counted once per item it can return: a field with a `first`
//!   argument returns that many items (its value, the variable's, else the argument's
//!   default; at most the field's maximum page) — for a connection or a trail, its list
//!   (`edges`, `events`) carries that size; any other list counts [`LIST_ESTIMATE`] items
//!   (the case's timeline [`TIMELINE_ESTIMATE`]), since nothing bounds them;
//! - aliases, inline fragments and each spread of a named fragment count again (they are
//!   executed again); `__schema` costs [`INTROSPECTION`], `__type` [`INTROSPECTION_TYPE`];
//! - the entries of a batch are added up by the caller.
//!
//! Overestimating is the safe side: a client told `QUERY_TOO_COSTLY` asks for smaller pages.
//! Parsing for the cost comes before juniper's own parse: twice for an accepted document,
//! bounded by the token limit.

use juniper::meta::MetaType;
use juniper::{DefaultScalarValue, Definition, InputValue, OperationType, Selection, Variables};
use std::collections::HashMap;

use super::Schema;

/// A root field of `Query`: one use case (a pooled connection and its queries).
pub const ROOT_QUERY_FIELD: u64 = 10;
/// A root field of `Mutation`: one transaction, possibly an argon2 hash or a PDF.
pub const MUTATION_FIELD: u64 = 500;
/// Items assumed for a list that no argument bounds (invoices, payments, pieces…).
pub const LIST_ESTIMATE: u64 = 10;
/// Items assumed for a case's timeline (every action adds an event).
pub const TIMELINE_ESTIMATE: u64 = 50;
/// `__schema`: the whole schema, whatever is selected (a fixed size: GraphiQL's query).
pub const INTROSPECTION: u64 = 2_000;
/// `__type(name:)`: one type.
pub const INTROSPECTION_TYPE: u64 = 50;

/// Fields whose page may exceed [`super::MAX_PAGE`], with their maximum.
const PAGE_MAX: &[(&str, &str, u64)] = &[("Query", "myQueue", 200)];
/// Fields whose `first` has no default in the schema, with the resolver's default.
const PAGE_DEFAULT: &[(&str, &str, u64)] = &[("Query", "myQueue", 50)];

/// What the parsed operation of a request is, and what it costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Estimate {
    pub cost: u64,
    pub mutation: bool,
}

/// The cost of the operation `operation_name` of `query`, or `None` when the document does
/// not parse or names no such operation (juniper then answers its own error, before any
/// resolver runs).
pub fn estimate(
    schema: &Schema,
    query: &str,
    operation_name: Option<&str>,
    variables: &Variables,
) -> Option<Estimate> {
    let document = juniper::parser::parse_document_source(query, &schema.schema).ok()?;
    let mut fragments = HashMap::new();
    let mut operations = Vec::new();
    for definition in &document {
        match definition {
            Definition::Operation(op) => operations.push(&op.item),
            Definition::Fragment(f) => {
                let f = &f.item;
                fragments.insert(f.name.item, (f.type_condition.item, &f.selection_set[..]));
            }
        }
    }
    let operation = match operation_name {
        Some(name) => operations
            .into_iter()
            .find(|o| o.name.as_ref().map(|n| n.item) == Some(name))?,
        None if operations.len() == 1 => operations.into_iter().next()?,
        None => return None,
    };
    let mut defaults = HashMap::new();
    if let Some(defs) = &operation.variables_definition {
        for (name, def) in defs.item.iter() {
            if let Some(default) = &def.default_value {
                defaults.insert(name.item, &default.item);
            }
        }
    }
    let (root, mutation) = match operation.operation_type {
        OperationType::Query => ("Query", false),
        OperationType::Mutation => ("Mutation", true),
        OperationType::Subscription => return None,
    };
    let mut walker = Walker {
        schema,
        fragments: &fragments,
        variables,
        defaults: &defaults,
        spreads: Vec::new(),
    };
    Some(Estimate {
        cost: walker.selections(&operation.selection_set, root, None),
        mutation,
    })
}

type Selections<'d> = [Selection<'d, DefaultScalarValue>];

struct Walker<'a, 'd> {
    schema: &'a Schema,
    /// Named fragments: their type condition and selection.
    fragments: &'a HashMap<&'d str, (&'d str, &'a Selections<'d>)>,
    variables: &'a Variables,
    /// Defaults of the operation's variables.
    defaults: &'a HashMap<&'d str, &'a InputValue>,
    /// Named fragments being expanded (a cycle is a validation error, reported later).
    spreads: Vec<&'d str>,
}

impl<'a, 'd> Walker<'a, 'd> {
    /// The cost of a selection set on `type_name`; `page` is the size of the list a direct
    /// child carries for its parent (a connection's `edges`).
    fn selections(
        &mut self,
        selections: &'a Selections<'d>,
        type_name: &str,
        page: Option<u64>,
    ) -> u64 {
        let mut total: u64 = 0;
        for selection in selections {
            let cost = match selection {
                Selection::Field(field) => {
                    let field = &field.item;
                    let first = field.arguments.as_ref().and_then(|args| {
                        args.item
                            .items
                            .iter()
                            .find(|(name, _)| name.item == "first")
                            .map(|(_, value)| &value.item)
                    });
                    self.field(
                        type_name,
                        field.name.item,
                        first,
                        field.selection_set.as_deref(),
                        page,
                    )
                }
                Selection::InlineFragment(f) => {
                    let on = f.item.type_condition.as_ref().map_or(type_name, |t| t.item);
                    self.selections(&f.item.selection_set, on, page)
                }
                Selection::FragmentSpread(spread) => {
                    let name = spread.item.name.item;
                    match self.fragments.get(name) {
                        Some(&(on, set)) if !self.spreads.contains(&name) => {
                            self.spreads.push(name);
                            let cost = self.selections(set, on, page);
                            self.spreads.pop();
                            cost
                        }
                        _ => 0,
                    }
                }
            };
            total = total.saturating_add(cost);
        }
        total
    }

    /// The cost of one field of `type_name`, its sub-selection counted once per item.
    fn field(
        &mut self,
        type_name: &str,
        name: &str,
        first: Option<&'a InputValue>,
        sub: Option<&'a Selections<'d>>,
        page: Option<u64>,
    ) -> u64 {
        match name {
            "__typename" => return 1,
            "__schema" => return INTROSPECTION,
            "__type" => return INTROSPECTION_TYPE,
            _ => {}
        }
        let own = match type_name {
            "Query" => ROOT_QUERY_FIELD,
            "Mutation" => MUTATION_FIELD,
            _ => 1,
        };
        let meta = self
            .schema
            .schema
            .concrete_type_by_name(type_name)
            .and_then(|t| t.field_by_name(name));
        // An unknown field is a validation error, answered before anything runs.
        let Some(meta) = meta else {
            return own;
        };
        // `[T!]!` and the like (the type's text: its own list test misreads a non-null list).
        let is_list = meta.field_type.to_string().starts_with('[');
        let target = meta.field_type.innermost_name().to_string();
        let has_first = meta
            .arguments
            .as_ref()
            .is_some_and(|args| args.iter().any(|a| a.name == "first"));
        let own_page = has_first.then(|| self.page_size(type_name, name, first, meta));
        let (items, child_page) = match (is_list, own_page) {
            (true, Some(n)) => (n, None),
            (true, None) => (page.unwrap_or_else(|| list_estimate(type_name, name)), None),
            (false, p) => (1, p),
        };
        let children = match sub {
            Some(set) if is_object(self.schema, &target) => {
                self.selections(set, &target, child_page)
            }
            _ => 0,
        };
        own.saturating_add(items.saturating_mul(children))
    }

    /// The page a field with a `first` argument returns: the value asked (a literal or a
    /// variable), else the argument's default, at most the field's maximum.
    fn page_size(
        &self,
        type_name: &str,
        name: &str,
        first: Option<&'a InputValue>,
        meta: &juniper::meta::Field<DefaultScalarValue>,
    ) -> u64 {
        let max = PAGE_MAX
            .iter()
            .find(|(t, f, _)| *t == type_name && *f == name)
            .map_or(super::MAX_PAGE as u64, |(_, _, m)| *m);
        let asked = match first {
            Some(InputValue::Variable(var)) => self
                .variables
                .get(var)
                .or_else(|| self.defaults.get(var.as_str()).copied()),
            Some(value) => Some(value),
            None => None,
        };
        let schema_default = || {
            meta.arguments
                .as_ref()?
                .iter()
                .find(|a| a.name == "first")?
                .default_value
                .as_ref()
        };
        let value = match asked {
            Some(InputValue::Null) | None => schema_default(),
            Some(v) => Some(v),
        };
        let n = match value.and_then(InputValue::as_scalar) {
            Some(DefaultScalarValue::Int(n)) => u64::try_from(*n).unwrap_or(0),
            // No default anywhere: the resolver's, else the maximum.
            _ => PAGE_DEFAULT
                .iter()
                .find(|(t, f, _)| *t == type_name && *f == name)
                .map_or(max, |(_, _, d)| *d),
        };
        n.min(max)
    }
}

/// Items assumed for a list field that no argument bounds.
fn list_estimate(type_name: &str, name: &str) -> u64 {
    match (type_name, name) {
        ("Case", "timeline") => TIMELINE_ESTIMATE,
        _ => LIST_ESTIMATE,
    }
}

/// Whether a type has fields (a selection on a scalar or an enum is a validation error).
fn is_object(schema: &Schema, name: &str) -> bool {
    matches!(
        schema.schema.concrete_type_by_name(name),
        Some(MetaType::Object(_) | MetaType::Interface(_) | MetaType::Union(_))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cost(query: &str, variables: serde_json::Value) -> u64 {
        let vars: Variables = serde_json::from_value(variables).unwrap();
        estimate(&super::super::schema(), query, None, &vars)
            .unwrap()
            .cost
    }

    /// One alias of issue 15's attack: 100 cases, each with timeline, pieces and payments.
    const ATTACK: &str = "cases(first: 100) { edges { node { timeline { payload } pieces { sha256 } payments { id } } } }";
    /// 10 (root field) + 1 (edges) + 100 × (1 node + (1 + 50) + (1 + 10) + (1 + 10)).
    const ATTACK_COST: u64 = 10 + 1 + 100 * (1 + 51 + 11 + 11);

    #[test]
    fn a_page_multiplies_what_each_item_selects() {
        assert_eq!(
            cost(&format!("{{ {ATTACK} }}"), serde_json::json!({})),
            ATTACK_COST
        );
        // The default page (20), and pageInfo/totalCount counted once.
        assert_eq!(
            cost(
                "{ cases { totalCount pageInfo { hasNextPage } edges { node { id } } } }",
                serde_json::json!({})
            ),
            10 + 1 + 2 + 1 + 20 * 2
        );
    }

    #[test]
    fn a_page_size_given_by_a_variable_or_its_default_counts_like_a_literal() {
        let q = "query($n: Int = 7) { cases(first: $n) { edges { node { id } } } }";
        assert_eq!(cost(q, serde_json::json!({})), 10 + 1 + 7 * 2);
        assert_eq!(cost(q, serde_json::json!({ "n": 30 })), 10 + 1 + 30 * 2);
        // Beyond the largest page the resolver refuses anyway: counted at the maximum.
        assert_eq!(
            cost(q, serde_json::json!({ "n": 1_000_000 })),
            10 + 1 + 100 * 2
        );
    }

    #[test]
    fn aliases_and_fragments_count_each_time_they_are_executed() {
        let one = cost(&format!("{{ {ATTACK} }}"), serde_json::json!({}));
        let aliases: String = (0..300).map(|i| format!("a{i}: {ATTACK} ")).collect();
        assert_eq!(
            cost(&format!("{{ {aliases} }}"), serde_json::json!({})),
            300 * one
        );
        let named = "query { a: cases(first: 100) { ...E } b: cases(first: 100) { ...E } } \
                     fragment E on CaseConnection { edges { node { ... on Case { timeline { payload } } } } }";
        assert_eq!(
            cost(named, serde_json::json!({})),
            2 * (10 + 1 + 100 * (1 + 51))
        );
    }

    #[test]
    fn a_mutation_field_weighs_a_transaction() {
        let vars: Variables = serde_json::from_value(serde_json::json!({})).unwrap();
        let e = estimate(
            &super::super::schema(),
            "mutation { a: logout(refreshToken: \"x\") b: logout(refreshToken: \"y\") }",
            None,
            &vars,
        )
        .unwrap();
        assert_eq!(
            e,
            Estimate {
                cost: 2 * MUTATION_FIELD,
                mutation: true
            }
        );
    }

    #[test]
    fn introspection_costs_a_fixed_amount_and_a_document_that_does_not_parse_costs_nothing() {
        assert_eq!(
            cost(
                "{ __schema { types { fields { name } } } }",
                serde_json::json!({})
            ),
            INTROSPECTION
        );
        let vars = Variables::new();
        assert!(estimate(&super::super::schema(), "{ cases(", None, &vars).is_none());
        // Two operations and no name: juniper's own error.
        assert!(estimate(
            &super::super::schema(),
            "query A { me { id } } query B { me { id } }",
            None,
            &vars
        )
        .is_none());
    }
}
