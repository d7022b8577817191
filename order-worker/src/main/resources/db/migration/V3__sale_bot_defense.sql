-- The sale's bot defence (issue 17) in the compact text of contracts BotDefense.toText():
-- 'none' or 'proof-of-work:N'. Sales created before keep 'none', as they were sold.
ALTER TABLE sale ADD COLUMN bot_defense VARCHAR(32) NOT NULL DEFAULT 'none';
