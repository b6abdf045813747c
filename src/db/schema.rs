//! The tables, written once for both backends with portable types only (DESIGN.md §5):
//! ids and money are `BigInt` (money in cents), enums are `Text`, timestamps are UTC.

diesel::table! {
    organisations (id) {
        id -> BigInt,
        kind -> Text,
        name -> Text,
        legal_form -> Text,
        siren -> Text,
        address_line1 -> Text,
        address_line2 -> Nullable<Text>,
        postal_code -> Text,
        city -> Text,
        country -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        email -> Text,
        display_name -> Text,
        password_hash -> Text,
        role -> Text,
        organisation_id -> Nullable<BigInt>,
        active -> Bool,
        failed_logins -> Integer,
        first_failed_at -> Nullable<Timestamp>,
        locked_until -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        token_hash -> Text,
        family -> Text,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    mandates (id) {
        id -> BigInt,
        creditor_org_id -> BigInt,
        signed_on -> Date,
        ends_on -> Nullable<Date>,
        commission_bps -> Integer,
        terms -> Text,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    debtors (id) {
        id -> BigInt,
        creditor_org_id -> BigInt,
        kind -> Text,
        name -> Text,
        first_name -> Nullable<Text>,
        legal_form -> Nullable<Text>,
        siren -> Nullable<Text>,
        address_line1 -> Text,
        address_line2 -> Nullable<Text>,
        postal_code -> Text,
        city -> Text,
        country -> Text,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        is_consumer -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    cases (id) {
        id -> BigInt,
        reference -> Text,
        creditor_org_id -> BigInt,
        debtor_id -> BigInt,
        mandate_id -> BigInt,
        state -> Text,
        outcome -> Nullable<Text>,
        assigned_agent_id -> Nullable<BigInt>,
        assigned_lawyer_id -> Nullable<BigInt>,
        note -> Text,
        status_reason -> Nullable<Text>,
        opened_by -> BigInt,
        opened_at -> Timestamp,
        accepted_at -> Nullable<Timestamp>,
        closed_at -> Nullable<Timestamp>,
        version -> Integer,
    }
}

diesel::table! {
    invoices (id) {
        id -> BigInt,
        case_id -> BigInt,
        number -> Text,
        issue_date -> Date,
        due_date -> Date,
        amount_cents -> BigInt,
        paid_cents -> BigInt,
    }
}

diesel::table! {
    case_events (id) {
        id -> BigInt,
        case_id -> BigInt,
        seq -> BigInt,
        occurred_at -> Timestamp,
        actor_user_id -> Nullable<BigInt>,
        kind -> Text,
        payload -> Text,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::table! {
    counters (name) {
        name -> Text,
        value -> BigInt,
    }
}

diesel::table! {
    interest_rates (id) {
        id -> BigInt,
        year -> Integer,
        half -> Text,
        ecb_rate_bps -> Integer,
        legal_rate_private_bps -> Integer,
        legal_rate_other_bps -> Integer,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    payments (id) {
        id -> BigInt,
        case_id -> BigInt,
        received_on -> Date,
        amount_cents -> BigInt,
        method -> Text,
        reference -> Nullable<Text>,
        invoice_id -> Nullable<BigInt>,
        recorded_by -> BigInt,
        recorded_at -> Timestamp,
    }
}

diesel::joinable!(payments -> cases (case_id));
diesel::joinable!(cases -> debtors (debtor_id));
diesel::joinable!(cases -> organisations (creditor_org_id));
diesel::joinable!(invoices -> cases (case_id));
diesel::joinable!(case_events -> cases (case_id));
diesel::joinable!(users -> organisations (organisation_id));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(mandates -> organisations (creditor_org_id));

diesel::allow_tables_to_appear_in_same_query!(
    organisations,
    users,
    refresh_tokens,
    mandates,
    debtors,
    cases,
    invoices,
    case_events,
    counters,
    interest_rates,
    payments,
);
