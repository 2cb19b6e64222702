/** The events of a run (spec §7), as the engine emits them and the stream writes them. The stream
 * adds `event_type` to the JSON and an `id:` line. */
export type RunEvent =
  | {
      event_type: 'agent_status';
      status: 'thinking' | 'calling_tool' | 'synthesizing' | 'awaiting_approval';
      node: string;
      run_id: string;
    }
  | { event_type: 'node_end'; node: string; data: Record<string, unknown>; run_id: string }
  | { event_type: 'token'; content: string; run_id: string }
  | { event_type: 'tool_call'; tool_name: string; arguments: Record<string, unknown>; run_id: string }
  | { event_type: 'tool_result'; tool_name: string; result: unknown; run_id: string }
  | { event_type: 'approval_required'; approval_id: string; run_id: string }
  | { event_type: 'error'; message: string; code: string; run_id?: string }
  | { event_type: 'done'; final_response: string; run_id: string; conversation_id: string };

export type RunEventType = RunEvent['event_type'];
