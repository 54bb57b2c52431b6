-- rnn's classes, one file each, in load order (a class follows its parent)
return {
   -- support modules
   'LinearNoBias', 'SAdd', 'CopyGrad',
   -- recurrent modules
   'LookupTableMaskZero', 'MaskZero', 'TrimZero', 'AbstractRecurrent', 'Recurrent', 'LSTM',
   'FastLSTM', 'GRU', 'Mufuru', 'Recursor', 'Recurrence', 'NormStabilizer',
   -- sequencers
   'AbstractSequencer', 'Repeater', 'Sequencer', 'BiSequencer', 'BiSequencerLM',
   'RecurrentAttention',
   -- sequencers that are their own recurrence
   'SeqLSTM', 'SeqLSTMP', 'SeqGRU', 'SeqReverseSequence', 'SeqBRNN',
   -- criterions
   'SequencerCriterion', 'RepeaterCriterion', 'MaskZeroCriterion',
}
