SET client_min_messages = warning;
-- FerretDB 1.24 on PostgreSQL pushes an equality filter down as `(_jsonb -> 'field') @> value`,
-- which a btree index cannot serve, so every lookup is a sequential scan. For every btree index
-- FerretDB creates on `(_jsonb -> 'field')` expressions, this trigger adds a GIN index on the same
-- expressions (GIN's jsonb_ops serves `@>`), so look-ups by telegramId, _id, region... use an index.
-- Local and test databases only: production runs MongoDB, whose own indexes serve these queries.
CREATE OR REPLACE FUNCTION komek_gin_companion() RETURNS event_trigger LANGUAGE plpgsql AS $$
DECLARE
  cmd record;
  def text;
  cols text;
  gin_name text;
BEGIN
  FOR cmd IN SELECT * FROM pg_event_trigger_ddl_commands() WHERE command_tag = 'CREATE INDEX' LOOP
    def := pg_get_indexdef(cmd.objid);
    CONTINUE WHEN def NOT LIKE '%USING btree (((_jsonb -> %';
    cols := substring(def FROM 'USING btree \((.*)\)$');
    gin_name := format('%I', left(split_part(cmd.object_identity, '.', 2), 59) || '_gin');
    EXECUTE format('CREATE INDEX IF NOT EXISTS %s ON %s USING gin (%s)',
      gin_name,
      (SELECT indrelid::regclass::text FROM pg_index WHERE indexrelid = cmd.objid),
      cols);
  END LOOP;
END $$;
DROP EVENT TRIGGER IF EXISTS komek_gin_companion;
CREATE EVENT TRIGGER komek_gin_companion ON ddl_command_end WHEN TAG IN ('CREATE INDEX')
  EXECUTE FUNCTION komek_gin_companion();
