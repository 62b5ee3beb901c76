package dbtest

// Fixture schemas: the tables and columns the export queries read, typed as
// each lineage creates them. Unrelated columns are left out.

// stateVoicesSchema follows StateVoicesNational/Spoke at 715ab464 (v14.1.2):
// migrations/20190207220000_init_db.js (organization, user, campaign,
// campaign_contact, message: knex t.timestamp is timestamptz, t.enu a text
// with a CHECK), migrations/20191108164924_message_errors.js
// (message.error_code, campaign_contact.error_code integer, drops
// message.service_response) and
// migrations/20191217125726_add_message_campaign_contact_id.js
// (message.campaign_contact_id, messageservice_sid).
const stateVoicesSchema = `
CREATE TABLE organization (id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE "user" (
  id serial PRIMARY KEY, auth0_id text NOT NULL DEFAULT '', first_name text NOT NULL,
  last_name text NOT NULL, cell text NOT NULL, email text NOT NULL
);
CREATE TABLE campaign (
  id serial PRIMARY KEY, organization_id integer NOT NULL REFERENCES organization (id),
  title text NOT NULL DEFAULT '', description text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE campaign_contact (
  id serial PRIMARY KEY, campaign_id integer NOT NULL REFERENCES campaign (id),
  assignment_id integer, external_id text NOT NULL DEFAULT '', first_name text NOT NULL DEFAULT '',
  last_name text NOT NULL DEFAULT '', cell text NOT NULL, error_code integer
);
CREATE TABLE message (
  id serial PRIMARY KEY,
  user_number text NOT NULL DEFAULT '',
  user_id integer,
  contact_number text NOT NULL,
  is_from_contact boolean NOT NULL,
  text text NOT NULL DEFAULT '',
  assignment_id integer,
  service text NOT NULL DEFAULT '',
  service_id text NOT NULL DEFAULT '',
  send_status text NOT NULL CHECK (send_status IN ('QUEUED', 'SENDING', 'SENT', 'DELIVERED', 'ERROR', 'PAUSED', 'NOT_ATTEMPTED')),
  created_at timestamptz NOT NULL DEFAULT now(),
  queued_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz NOT NULL DEFAULT now(),
  service_response_at timestamptz NOT NULL DEFAULT now(),
  send_before timestamptz,
  error_code integer,
  campaign_contact_id integer REFERENCES campaign_contact (id),
  messageservice_sid text
);
`

// rewiredSchema follows politics-rewired/Spoke at b8761c73 (v7.3.0)
// schema-dump.sql: public.all_campaign (line 198) behind the view
// public.campaign (line 1502), campaign_contact (1540), campaign_variable
// (2039), message (2770), "user" (3281). user.email is citext there; text
// here (the export casts nothing, and citext needs an extension).
const rewiredSchema = `
CREATE TABLE organization (id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE "user" (
  id serial PRIMARY KEY, auth0_id text NOT NULL DEFAULT '', first_name text NOT NULL,
  last_name text NOT NULL, cell text NOT NULL, email text NOT NULL
);
CREATE TABLE all_campaign (
  id serial PRIMARY KEY, organization_id integer NOT NULL REFERENCES organization (id),
  title text NOT NULL DEFAULT '', description text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP, is_template boolean NOT NULL DEFAULT false
);
CREATE VIEW campaign AS
  SELECT id, organization_id, title, description, created_at FROM all_campaign WHERE is_template = false;
CREATE TABLE campaign_contact (
  id serial PRIMARY KEY, campaign_id integer NOT NULL, assignment_id integer,
  external_id text NOT NULL DEFAULT '', first_name text NOT NULL DEFAULT '', last_name text NOT NULL DEFAULT '',
  cell text NOT NULL, is_opted_out boolean DEFAULT false
);
CREATE TABLE campaign_variable (
  id serial PRIMARY KEY, campaign_id integer NOT NULL, display_order integer NOT NULL,
  name text NOT NULL CHECK (name ~ '^cv:[a-zA-Z0-9 \-_]+$'), value text,
  created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz
);
CREATE TABLE message (
  id serial PRIMARY KEY,
  user_number text NOT NULL DEFAULT '',
  user_id integer,
  contact_number text NOT NULL,
  is_from_contact boolean NOT NULL,
  text text NOT NULL DEFAULT '',
  service_response text DEFAULT '[]',
  assignment_id integer NOT NULL,
  service text NOT NULL DEFAULT '',
  service_id text NOT NULL DEFAULT '',
  send_status text NOT NULL CHECK (send_status IN ('QUEUED', 'SENDING', 'SENT', 'DELIVERED', 'ERROR', 'PAUSED', 'NOT_ATTEMPTED')),
  created_at timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP,
  queued_at timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP,
  sent_at timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP,
  service_response_at timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP,
  send_before timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP,
  campaign_contact_id integer,
  updated_at timestamptz DEFAULT CURRENT_TIMESTAMP,
  script_version_hash character varying(255),
  error_codes text[],
  num_segments smallint,
  num_media smallint,
  campaign_variable_ids integer[] NOT NULL DEFAULT '{}'
);
`
