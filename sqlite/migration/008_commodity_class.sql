-- nadra schema, version 8: each commodity's class (metallic, energy or
-- industrial; issue 11). Commodities follow the embedded dataset, so the
-- next dataset import fills the column; '' until then.
ALTER TABLE commodities ADD COLUMN class TEXT NOT NULL DEFAULT '';
