-- nadra schema, version 8: each commodity's class (metallic, energy or
-- industrial; issue 11), as sqlite's 008. Commodities follow the embedded
-- dataset, so the next dataset import fills the column; '' until then.
ALTER TABLE commodities ADD COLUMN class text NOT NULL DEFAULT '';
