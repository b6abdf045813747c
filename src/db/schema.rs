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
        must_change_password -> Bool,
    }
}

diesel::table! {
    password_resets (id) {
        id -> BigInt,
        user_id -> BigInt,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    agenda_feeds (id) {
        id -> BigInt,
        user_id -> BigInt,
        token_hash -> Text,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    debtor_links (id) {
        id -> BigInt,
        case_id -> BigInt,
        token_hash -> Text,
        printed_on -> Nullable<Text>,
        created_at -> Timestamp,
        created_by -> Nullable<BigInt>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    debtor_pieces (id) {
        id -> BigInt,
        case_id -> BigInt,
        link_id -> BigInt,
        purpose -> Text,
        dispute_id -> Nullable<BigInt>,
        filename -> Text,
        media_type -> Text,
        sha256 -> Text,
        size_bytes -> BigInt,
        added_at -> Timestamp,
    }
}

diesel::table! {
    card_payments (id) {
        id -> BigInt,
        case_id -> BigInt,
        link_id -> BigInt,
        provider -> Text,
        amount_cents -> BigInt,
        status -> Text,
        session_id -> Nullable<Text>,
        provider_payment -> Nullable<Text>,
        payment_id -> Nullable<BigInt>,
        note -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        card_payout_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    card_payouts (id) {
        id -> BigInt,
        provider -> Text,
        payout_ref -> Text,
        amount_cents -> BigInt,
        gross_cents -> BigInt,
        fee_cents -> BigInt,
        other_cents -> BigInt,
        charges -> Integer,
        unknown_charges -> Integer,
        arrival_on -> Date,
        bank_entry_id -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    advance_reminders (id) {
        id -> BigInt,
        case_id -> BigInt,
        subject -> Text,
        subject_id -> BigInt,
        due_on -> Date,
        amount_cents -> BigInt,
        outbox_id -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    provider_events (id) {
        id -> BigInt,
        provider -> Text,
        event_id -> Text,
        kind -> Text,
        received_at -> Timestamp,
        card_payment_id -> Nullable<BigInt>,
        outcome -> Text,
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
        declares_claims -> Bool,
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
        contractual_rate_bps -> Nullable<Integer>,
        search_key -> Text,
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

diesel::table! {
    agency_settings (id) {
        id -> Integer,
        agency_org_id -> Nullable<BigInt>,
        insurer -> Text,
        policy_number -> Text,
        iban -> Text,
        bic -> Nullable<Text>,
        phone -> Nullable<Text>,
        email -> Nullable<Text>,
        mail_from -> Text,
        signatory -> Text,
        formal_notice_days -> Integer,
        grace_days -> Integer,
        updated_at -> Timestamp,
        require_formal_notice -> Bool,
        max_messages_per_week -> Integer,
        call_from_hour -> Integer,
        call_until_hour -> Integer,
        calls_on_saturday -> Bool,
        portal_url -> Text,
        reminder_days_before -> Integer,
    }
}

diesel::table! {
    playbooks (id) {
        id -> BigInt,
        name -> Text,
        is_default -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    playbook_steps (id) {
        id -> BigInt,
        playbook_id -> BigInt,
        position -> Integer,
        basis -> Text,
        delay_days -> Integer,
        channel -> Text,
        template -> Text,
    }
}

diesel::table! {
    creditor_playbooks (creditor_org_id) {
        creditor_org_id -> BigInt,
        playbook_id -> BigInt,
    }
}

diesel::table! {
    case_recovery (case_id) {
        case_id -> BigInt,
        playbook_id -> Nullable<BigInt>,
        next_step -> Integer,
        anchor_at -> Timestamp,
        first_letter_ref -> Nullable<Text>,
        first_letter_on -> Nullable<Date>,
        formal_notice_on -> Nullable<Date>,
        formal_notice_posted_on -> Nullable<Date>,
        formal_notice_tracking -> Nullable<Text>,
        formal_notice_delivered_on -> Nullable<Date>,
        formal_notice_deadline -> Nullable<Date>,
        formal_notice_expired -> Bool,
        resume_state -> Nullable<Text>,
    }
}

diesel::table! {
    documents (id) {
        id -> BigInt,
        case_id -> Nullable<BigInt>,
        creditor_org_id -> Nullable<BigInt>,
        kind -> Text,
        reference -> Text,
        filename -> Text,
        sha256 -> Text,
        size_bytes -> BigInt,
        created_at -> Timestamp,
        created_by -> Nullable<BigInt>,
    }
}

diesel::table! {
    outbox (id) {
        id -> BigInt,
        case_id -> Nullable<BigInt>,
        channel -> Text,
        kind -> Text,
        recipient -> Text,
        subject -> Text,
        body -> Text,
        document_id -> Nullable<BigInt>,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        last_error -> Nullable<Text>,
        claimed_by -> Nullable<Text>,
        claimed_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
        tracking_number -> Nullable<Text>,
    }
}

diesel::table! {
    tasks (id) {
        id -> BigInt,
        case_id -> BigInt,
        kind -> Text,
        title -> Text,
        due_on -> Date,
        status -> Text,
        outbox_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        closed_at -> Nullable<Timestamp>,
        closed_by -> Nullable<BigInt>,
        note -> Nullable<Text>,
    }
}

diesel::table! {
    calls (id) {
        id -> BigInt,
        case_id -> BigInt,
        outcome -> Text,
        notes -> Text,
        called_at -> Timestamp,
        agent_id -> BigInt,
    }
}

diesel::table! {
    promises (id) {
        id -> BigInt,
        case_id -> BigInt,
        pay_by -> Date,
        amount_cents -> BigInt,
        status -> Text,
        made_on -> Date,
        created_by -> BigInt,
        created_at -> Timestamp,
        resolved_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    disputes (id) {
        id -> BigInt,
        case_id -> BigInt,
        reason -> Text,
        details -> Text,
        status -> Text,
        raised_by -> BigInt,
        raised_at -> Timestamp,
        creditor_answer -> Nullable<Text>,
        answered_by -> Nullable<BigInt>,
        answered_at -> Nullable<Timestamp>,
        resolution -> Nullable<Text>,
        resolution_note -> Nullable<Text>,
        resolved_by -> Nullable<BigInt>,
        resolved_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    payment_plans (id) {
        id -> BigInt,
        case_id -> BigInt,
        status -> Text,
        total_cents -> BigInt,
        paid_before_cents -> BigInt,
        note -> Text,
        proposed_by -> BigInt,
        proposed_at -> Timestamp,
        auto_approved -> Bool,
        decided_by -> Nullable<BigInt>,
        decided_at -> Nullable<Timestamp>,
        ended_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    plan_instalments (id) {
        id -> BigInt,
        plan_id -> BigInt,
        position -> Integer,
        due_on -> Date,
        amount_cents -> BigInt,
    }
}

diesel::table! {
    mandate_plan_limits (mandate_id) {
        mandate_id -> BigInt,
        max_instalments -> Integer,
        max_months -> Integer,
    }
}

diesel::table! {
    pieces (id) {
        id -> BigInt,
        case_id -> BigInt,
        kind -> Text,
        description -> Text,
        filename -> Text,
        media_type -> Text,
        sha256 -> Text,
        size_bytes -> BigInt,
        document_id -> Nullable<BigInt>,
        exhibit_no -> Nullable<Integer>,
        added_by -> Nullable<BigInt>,
        added_at -> Timestamp,
        withdrawn_at -> Nullable<Timestamp>,
        withdrawn_by -> Nullable<BigInt>,
        withdrawal_reason -> Nullable<Text>,
        active_content -> Nullable<Text>,
        document_date -> Nullable<Date>,
    }
}

diesel::table! {
    remittances (id) {
        id -> BigInt,
        creditor_org_id -> BigInt,
        reference -> Text,
        status -> Text,
        due_on -> Date,
        gross_cents -> BigInt,
        commission_cents -> BigInt,
        net_cents -> BigInt,
        document_id -> Nullable<BigInt>,
        prepared_by -> BigInt,
        prepared_at -> Timestamp,
        paid_on -> Nullable<Date>,
    }
}

diesel::table! {
    remittance_lines (payment_id) {
        payment_id -> BigInt,
        remittance_id -> BigInt,
        amount_cents -> BigInt,
        commission_cents -> BigInt,
    }
}

diesel::table! {
    case_event_heads (case_id) {
        case_id -> BigInt,
        seq -> BigInt,
        hash -> Text,
    }
}

diesel::table! {
    security_events (id) {
        id -> BigInt,
        seq -> BigInt,
        occurred_at -> Timestamp,
        kind -> Text,
        user_id -> Nullable<BigInt>,
        email -> Nullable<Text>,
        ip -> Nullable<Text>,
        case_id -> Nullable<BigInt>,
        detail -> Text,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::table! {
    security_log_head (id) {
        id -> Integer,
        seq -> BigInt,
        hash -> Text,
    }
}

diesel::table! {
    legal_proceedings (case_id) {
        case_id -> BigInt,
        lawyer_id -> BigInt,
        referred_by -> BigInt,
        referred_at -> Timestamp,
        court_kind -> Nullable<Text>,
        court_name -> Nullable<Text>,
        transfer_on_opposition -> Bool,
        filed_on -> Nullable<Date>,
        filing_reference -> Nullable<Text>,
        order_on -> Nullable<Date>,
        order_outcome -> Nullable<Text>,
        order_amount_cents -> Nullable<BigInt>,
        served_on -> Nullable<Date>,
        served_in_person -> Nullable<Bool>,
        first_personal_act_on -> Nullable<Date>,
        opposed_on -> Nullable<Date>,
        enforceable_on -> Nullable<Date>,
        handed_over_on -> Nullable<Date>,
        enforcement_officer -> Nullable<Text>,
        last_enforcement_act_on -> Nullable<Date>,
    }
}

diesel::table! {
    enforcement_measures (id) {
        id -> BigInt,
        case_id -> BigInt,
        kind -> Text,
        measure_on -> Date,
        officer -> Text,
        reference -> Nullable<Text>,
        recorded_by -> BigInt,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    bodacc_announcements (id) {
        id -> BigInt,
        identity -> Text,
        published_on -> Date,
        bulletin -> Nullable<Text>,
        parution -> Nullable<Text>,
        number -> Text,
        family -> Text,
        siren -> Text,
        company -> Nullable<Text>,
        court -> Nullable<Text>,
        summary -> Text,
        judgment_on -> Nullable<Date>,
        suggested_kind -> Nullable<Text>,
        data -> Text,
        imported_at -> Timestamp,
        imported_by -> Nullable<BigInt>,
    }
}

diesel::table! {
    bodacc_feed_runs (day) {
        day -> Date,
        started_at -> Timestamp,
        outcome -> Nullable<Text>,
    }
}

diesel::table! {
    bodacc_case_links (announcement_id, case_id) {
        announcement_id -> BigInt,
        case_id -> BigInt,
        task_id -> BigInt,
    }
}

diesel::table! {
    debtor_incidents (id) {
        id -> BigInt,
        case_id -> BigInt,
        kind -> Text,
        occurred_on -> Date,
        published_on -> Nullable<Date>,
        court -> Nullable<Text>,
        reference -> Nullable<Text>,
        representative -> Nullable<Text>,
        creditor_abroad -> Bool,
        long_term_loan -> Bool,
        declared_on -> Nullable<Date>,
        ended_on -> Nullable<Date>,
        end_kind -> Nullable<Text>,
        end_note -> Nullable<Text>,
        recorded_by -> BigInt,
        recorded_at -> Timestamp,
        security -> Nullable<Text>,
        declaration_document_id -> Nullable<BigInt>,
        declaration_tracking -> Nullable<Text>,
        claim_decision -> Nullable<Text>,
        claim_decided_on -> Nullable<Date>,
        admitted_cents -> Nullable<BigInt>,
    }
}

diesel::table! {
    court_directories (id) {
        id -> BigInt,
        version -> Text,
        source -> Text,
        data -> Text,
        imported_at -> Timestamp,
        imported_by -> Nullable<BigInt>,
    }
}

diesel::table! {
    lawyer_profiles (user_id) {
        user_id -> BigInt,
        firm_name -> Text,
        bar -> Text,
        address_line1 -> Text,
        address_line2 -> Nullable<Text>,
        postal_code -> Text,
        city -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    bank_statements (id) {
        id -> BigInt,
        identity -> Text,
        format -> Text,
        account_iban -> Text,
        file_sha256 -> Text,
        closing_balance_cents -> Nullable<BigInt>,
        closing_balance_on -> Nullable<Date>,
        entries -> Integer,
        new_entries -> Integer,
        imported_at -> Timestamp,
        imported_by -> Nullable<BigInt>,
    }
}

diesel::table! {
    bank_entries (id) {
        id -> BigInt,
        statement_id -> BigInt,
        dedupe_key -> Text,
        account_iban -> Text,
        booked_on -> Date,
        amount_cents -> BigInt,
        direction -> Text,
        payer_name -> Nullable<Text>,
        remittance -> Nullable<Text>,
        servicer_ref -> Nullable<Text>,
        status -> Text,
        reason -> Nullable<Text>,
        case_id -> Nullable<BigInt>,
        payment_id -> Nullable<BigInt>,
        decided_by -> Nullable<BigInt>,
        decided_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(payments -> cases (case_id));
diesel::joinable!(bank_entries -> bank_statements (statement_id));
diesel::joinable!(bank_entries -> cases (case_id));
diesel::joinable!(legal_proceedings -> cases (case_id));
diesel::joinable!(enforcement_measures -> cases (case_id));
diesel::joinable!(debtor_incidents -> cases (case_id));
diesel::joinable!(bodacc_case_links -> cases (case_id));
diesel::joinable!(bodacc_case_links -> bodacc_announcements (announcement_id));
diesel::joinable!(playbook_steps -> playbooks (playbook_id));
diesel::joinable!(case_recovery -> cases (case_id));
diesel::joinable!(tasks -> cases (case_id));
diesel::joinable!(plan_instalments -> payment_plans (plan_id));
diesel::joinable!(remittance_lines -> payments (payment_id));
diesel::joinable!(pieces -> cases (case_id));
diesel::joinable!(remittance_lines -> remittances (remittance_id));
diesel::joinable!(cases -> debtors (debtor_id));
diesel::joinable!(cases -> organisations (creditor_org_id));
diesel::joinable!(invoices -> cases (case_id));
diesel::joinable!(case_events -> cases (case_id));
diesel::joinable!(users -> organisations (organisation_id));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(password_resets -> users (user_id));
diesel::joinable!(agenda_feeds -> users (user_id));
diesel::joinable!(debtor_links -> cases (case_id));
diesel::joinable!(card_payments -> cases (case_id));
diesel::joinable!(debtor_pieces -> cases (case_id));
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
    advance_reminders,
    agency_settings,
    playbooks,
    playbook_steps,
    creditor_playbooks,
    case_recovery,
    documents,
    outbox,
    tasks,
    calls,
    promises,
    disputes,
    payment_plans,
    plan_instalments,
    mandate_plan_limits,
    remittances,
    remittance_lines,
    pieces,
    case_event_heads,
    security_events,
    security_log_head,
    legal_proceedings,
    court_directories,
    lawyer_profiles,
    enforcement_measures,
    debtor_incidents,
    bodacc_announcements,
    bodacc_case_links,
    bodacc_feed_runs,
    password_resets,
    debtor_links,
    debtor_pieces,
    card_payments,
    card_payouts,
    provider_events,
    agenda_feeds,
    bank_statements,
    bank_entries,
);
