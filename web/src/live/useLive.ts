import { useEffect, useRef, useState } from 'react';
import { live, type LiveFrame, type Topic } from './socket';

/** Calls `onFrame` for each frame about `topic` while mounted; answers whether the socket is open. */
export function useLive(topic: Topic | null, onFrame: (frame: LiveFrame) => void, onReconnect?: () => void): boolean {
  const handler = useRef(onFrame);
  handler.current = onFrame;
  const reconnect = useRef(onReconnect);
  reconnect.current = onReconnect;
  const [open, setOpen] = useState(live.open);
  const key = topic ? JSON.stringify(topic) : '';
  useEffect(() => {
    if (!topic) return;
    let wasOpen = live.open;
    const stopStatus = live.onStatus((now) => {
      setOpen(now);
      // Frames missed while disconnected are gone: the page reloads what it shows.
      if (now && !wasOpen) reconnect.current?.();
      wasOpen = now;
    });
    const stop = live.subscribe(topic, (frame) => handler.current(frame));
    return () => {
      stop();
      stopStatus();
    };
  }, [key]);
  return open;
}
