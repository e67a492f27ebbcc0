// Forward-only migrations of the TEAM database (PostgreSQL), recorded in team_schema_migrations,
// like the local store's (electron/store/migrations.ts): never edit a shipped one, add the next.
// Several desks may start at once: the runner holds a session advisory lock while it migrates.
//
// The claim protocol lives in SQL functions so each decision is one round trip and is judged by
// the database's clock (now()), never a desk's:
// - team_claim: take or renew the lease of an order's regeneration chain (key: the chain's root
//   order, through team_links), unless another desk holds it or left a mutating step open on it;
// - team_fence: right before a pay/regenerate is journaled, prove the lease (desk, job, fencing
//   token, not expired) and record the step as open, in the same transaction;
// - team_release: the job settled and its timeline was shipped; its steps close, or, when the
//   outcome still needs a human, become `attention`: every other desk's job on the chain then
//   stops for staff too, until staff acknowledge it at the desk that made the call;
// - team_ship: the outbox of a desk's timeline (idempotent per desk and local event id).
export interface TeamMigration {
  version: number;
  name: string;
  sql: string;
}

/** NOTIFY channel for every change another desk should see. */
export const TEAM_CHANNEL = 'desk_team';

export const TEAM_MIGRATIONS: readonly TeamMigration[] = [
  {
    version: 1,
    name: 'claims, steps, links and the shared timeline',
    sql: `
      CREATE TABLE team_info (team_id uuid PRIMARY KEY DEFAULT gen_random_uuid(), created_at timestamptz NOT NULL DEFAULT now());
      INSERT INTO team_info DEFAULT VALUES;

      CREATE TABLE team_desks (
        desk_id text PRIMARY KEY,
        staff text NOT NULL,
        last_seen_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE SEQUENCE team_claim_tokens;
      CREATE TABLE team_claims (
        chain_root text PRIMARY KEY,
        order_no text NOT NULL,
        desk_id text NOT NULL,
        job_id text NOT NULL,
        staff text NOT NULL,
        token bigint NOT NULL,
        claimed_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX team_claims_job ON team_claims (desk_id, job_id);

      CREATE TABLE team_links (
        new_order_no text PRIMARY KEY,
        original_order_no text NOT NULL,
        desk_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX team_links_original ON team_links (original_order_no);

      CREATE TABLE team_steps (
        id bigserial PRIMARY KEY,
        chain_root text NOT NULL,
        order_no text NOT NULL,
        kind text NOT NULL,
        desk_id text NOT NULL,
        job_id text NOT NULL,
        staff text NOT NULL,
        token bigint NOT NULL,
        state text NOT NULL DEFAULT 'open',
        started_at timestamptz NOT NULL DEFAULT now(),
        closed_at timestamptz
      );
      CREATE INDEX team_steps_unsettled ON team_steps (chain_root) WHERE state <> 'closed';
      CREATE INDEX team_steps_job ON team_steps (desk_id, job_id);

      CREATE TABLE team_events (
        id bigserial PRIMARY KEY,
        desk_id text NOT NULL,
        local_id bigint NOT NULL,
        order_no text NOT NULL,
        at timestamptz NOT NULL,
        kind text NOT NULL,
        actor text,
        os_account text,
        staff text NOT NULL,
        data jsonb NOT NULL,
        UNIQUE (desk_id, local_id)
      );
      CREATE INDEX team_events_order ON team_events (order_no, at);
      CREATE INDEX team_events_at ON team_events (at);

      CREATE FUNCTION team_chain_root(p_order text) RETURNS text LANGUAGE sql STABLE AS $f$
        WITH RECURSIVE up (order_no, depth) AS (
          SELECT p_order, 0
          UNION ALL
          SELECT l.original_order_no, up.depth + 1 FROM team_links l JOIN up ON l.new_order_no = up.order_no WHERE up.depth < 64
        )
        SELECT order_no FROM up ORDER BY depth DESC LIMIT 1
      $f$;

      CREATE FUNCTION team_chain_links(p_root text) RETURNS jsonb LANGUAGE sql STABLE AS $f$
        WITH RECURSIVE down (order_no, depth) AS (
          SELECT p_root, 0
          UNION ALL
          SELECT l.new_order_no, down.depth + 1 FROM team_links l JOIN down ON l.original_order_no = down.order_no WHERE down.depth < 64
        )
        SELECT coalesce(jsonb_agg(jsonb_build_object('o', l.original_order_no, 'n', l.new_order_no) ORDER BY l.created_at), '[]'::jsonb)
        FROM team_links l WHERE l.original_order_no IN (SELECT order_no FROM down)
      $f$;

      CREATE FUNCTION team_add_links(p_links jsonb, p_desk text) RETURNS void LANGUAGE sql AS $f$
        INSERT INTO team_links (original_order_no, new_order_no, desk_id)
        SELECT x->>'o', x->>'n', p_desk FROM jsonb_array_elements(p_links) x
        WHERE x->>'o' IS NOT NULL AND x->>'n' IS NOT NULL AND x->>'o' <> x->>'n'
        ON CONFLICT (new_order_no) DO NOTHING
      $f$;

      CREATE FUNCTION team_claim(p_order text, p_links jsonb, p_desk text, p_job text, p_staff text, p_ttl_ms integer)
      RETURNS TABLE (held boolean, token bigint, chain_root text, holder_desk text, holder_staff text, links jsonb, needs_staff boolean)
      LANGUAGE plpgsql AS $f$
      DECLARE
        v_root text;
        v_cur team_claims%ROWTYPE;
        v_step team_steps%ROWTYPE;
        v_token bigint;
      BEGIN
        PERFORM team_add_links(p_links, p_desk);
        v_root := team_chain_root(p_order);
        PERFORM pg_advisory_xact_lock(hashtextextended('desk-chain:' || v_root, 0));
        SELECT * INTO v_cur FROM team_claims c WHERE c.chain_root = v_root;
        IF FOUND AND v_cur.expires_at > now() AND (v_cur.desk_id <> p_desk OR v_cur.job_id <> p_job) THEN
          RETURN QUERY SELECT false, 0::bigint, v_root, v_cur.desk_id, v_cur.staff, team_chain_links(v_root), false;
          RETURN;
        END IF;
        -- Another job's pay/regenerate on this chain not settled yet (open), or settled as needing a
        -- human (attention): never act on top of it.
        SELECT * INTO v_step FROM team_steps s
          WHERE s.chain_root = v_root AND s.state <> 'closed' AND (s.desk_id <> p_desk OR s.job_id <> p_job)
          ORDER BY s.state = 'attention' DESC LIMIT 1;
        IF FOUND THEN
          RETURN QUERY SELECT false, 0::bigint, v_root, v_step.desk_id, v_step.staff, team_chain_links(v_root), v_step.state = 'attention';
          RETURN;
        END IF;
        IF v_cur.chain_root IS NOT NULL AND v_cur.desk_id = p_desk AND v_cur.job_id = p_job AND v_cur.expires_at > now() THEN
          UPDATE team_claims c SET expires_at = now() + make_interval(secs => p_ttl_ms / 1000.0), order_no = p_order
            WHERE c.chain_root = v_root RETURNING c.token INTO v_token;
        ELSE
          INSERT INTO team_claims AS c (chain_root, order_no, desk_id, job_id, staff, token, expires_at)
          VALUES (v_root, p_order, p_desk, p_job, p_staff, nextval('team_claim_tokens'), now() + make_interval(secs => p_ttl_ms / 1000.0))
          ON CONFLICT ON CONSTRAINT team_claims_pkey DO UPDATE SET
            order_no = EXCLUDED.order_no, desk_id = EXCLUDED.desk_id, job_id = EXCLUDED.job_id, staff = EXCLUDED.staff,
            token = EXCLUDED.token, claimed_at = now(), expires_at = EXCLUDED.expires_at
          RETURNING c.token INTO v_token;
          PERFORM pg_notify('desk_team', json_build_object('desk', p_desk, 'orders', json_build_array(v_root, p_order))::text);
        END IF;
        RETURN QUERY SELECT true, v_token, v_root, p_desk, p_staff, team_chain_links(v_root), false;
      END
      $f$;

      CREATE FUNCTION team_fence(p_order text, p_links jsonb, p_desk text, p_job text, p_token bigint, p_kind text, p_ttl_ms integer)
      RETURNS TABLE (ok boolean, step_id bigint, holder_desk text, holder_staff text)
      LANGUAGE plpgsql AS $f$
      DECLARE
        v_root text;
        v_cur team_claims%ROWTYPE;
        v_step team_steps%ROWTYPE;
        v_id bigint;
      BEGIN
        PERFORM team_add_links(p_links, p_desk);
        v_root := team_chain_root(p_order);
        PERFORM pg_advisory_xact_lock(hashtextextended('desk-chain:' || v_root, 0));
        SELECT * INTO v_cur FROM team_claims c WHERE c.chain_root = v_root;
        IF NOT FOUND OR v_cur.desk_id <> p_desk OR v_cur.job_id <> p_job OR v_cur.token <> p_token OR v_cur.expires_at <= now() THEN
          RETURN QUERY SELECT false, NULL::bigint, v_cur.desk_id, v_cur.staff;
          RETURN;
        END IF;
        SELECT * INTO v_step FROM team_steps s
          WHERE s.chain_root = v_root AND s.state <> 'closed' AND (s.desk_id <> p_desk OR s.job_id <> p_job) LIMIT 1;
        IF FOUND THEN
          RETURN QUERY SELECT false, NULL::bigint, v_step.desk_id, v_step.staff;
          RETURN;
        END IF;
        INSERT INTO team_steps (chain_root, order_no, kind, desk_id, job_id, staff, token)
          VALUES (v_root, p_order, p_kind, p_desk, p_job, v_cur.staff, p_token) RETURNING id INTO v_id;
        UPDATE team_claims c SET expires_at = now() + make_interval(secs => p_ttl_ms / 1000.0), order_no = p_order WHERE c.chain_root = v_root;
        RETURN QUERY SELECT true, v_id, p_desk, v_cur.staff;
      END
      $f$;

      CREATE FUNCTION team_release(p_desk text, p_job text, p_close_steps boolean) RETURNS void LANGUAGE plpgsql AS $f$
      DECLARE
        v_roots text[];
      BEGIN
        WITH gone AS (DELETE FROM team_claims c WHERE c.desk_id = p_desk AND c.job_id = p_job RETURNING c.chain_root)
          SELECT array_agg(chain_root) INTO v_roots FROM gone;
        UPDATE team_steps s SET state = CASE WHEN p_close_steps THEN 'closed' ELSE 'attention' END, closed_at = now()
          WHERE s.desk_id = p_desk AND s.job_id = p_job AND s.state = 'open';
        PERFORM pg_notify('desk_team', json_build_object('desk', p_desk, 'orders', coalesce(to_json(v_roots), '[]'::json))::text);
      END
      $f$;

      CREATE FUNCTION team_ship(p_desk text, p_staff text, p_events jsonb) RETURNS integer LANGUAGE plpgsql AS $f$
      DECLARE
        v_count integer;
        v_orders json;
      BEGIN
        INSERT INTO team_desks (desk_id, staff, last_seen_at) VALUES (p_desk, p_staff, now())
          ON CONFLICT (desk_id) DO UPDATE SET staff = EXCLUDED.staff, last_seen_at = now();
        INSERT INTO team_events (desk_id, local_id, order_no, at, kind, actor, os_account, staff, data)
          SELECT p_desk, (e->>'id')::bigint, e->>'orderNo', (e->>'at')::timestamptz, e->>'kind', e->>'actor', e->>'osAccount', p_staff, coalesce(e->'data', '{}'::jsonb)
          FROM jsonb_array_elements(p_events) e
          ON CONFLICT (desk_id, local_id) DO NOTHING;
        GET DIAGNOSTICS v_count = ROW_COUNT;
        PERFORM team_add_links(coalesce(jsonb_agg(jsonb_build_object('o', e->>'orderNo', 'n', e->'data'->>'newOrderNo')), '[]'::jsonb), p_desk)
          FROM jsonb_array_elements(p_events) e WHERE e->>'kind' = 'regenerated';
        SELECT json_agg(DISTINCT e->>'orderNo') INTO v_orders FROM jsonb_array_elements(p_events) e;
        IF v_count > 0 THEN
          PERFORM pg_notify('desk_team', json_build_object('desk', p_desk, 'orders', coalesce(v_orders, '[]'::json))::text);
        END IF;
        RETURN v_count;
      END
      $f$;
    `,
  },
];

export const TEAM_SCHEMA_VERSION = TEAM_MIGRATIONS[TEAM_MIGRATIONS.length - 1]?.version ?? 0;
